// Placeholder page: shows the plan from the store through the app's one command.
// withGlobalTauri is off; the IPC bridge is still reachable as __TAURI_INTERNALS__.
(async () => {
  const $ = (id) => document.getElementById(id);
  try {
    const s = await window.__TAURI_INTERNALS__.invoke("store_summary");
    const plan = s.summary.plan;
    $("plan-title").textContent = plan.title;
    $("plan-period").textContent = `${plan.partnership} · ${plan.start_date} to ${plan.end_date} · ${s.actions} actions`;
    for (const t of s.summary.themes) {
      const box = document.createElement("div");
      box.className = "theme";
      const h = document.createElement("h2");
      h.textContent = `Theme ${t.number}. ${t.title}`;
      const ul = document.createElement("ul");
      for (const p of t.priorities) {
        const li = document.createElement("li");
        li.textContent = `${p.ref} ${p.title}`;
        ul.appendChild(li);
      }
      box.append(h, ul);
      $("themes").appendChild(box);
    }
    $("store-path").textContent = `Store: ${s.path}`;
  } catch (e) {
    $("plan-title").textContent = "The store could not be opened";
    const box = $("error");
    box.hidden = false;
    box.textContent = (e && e.message) || String(e);
  }
})();
