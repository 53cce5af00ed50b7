//! Flowing multi-page documents (portrait A4): headings, paragraphs, numbered paragraphs with
//! hanging indents, bullet lists, and tables whose header row repeats on every page and whose
//! rows split cleanly across pages. Running header and "Page X of Y" footer are added at the
//! end, as artifacts. Everything is placed through `layout`, so it stays printpdf-free.

use ccsp_core::domain::Rag;

use crate::layout::{place_lines, wrap, Bookmark, Document, Face, Item, Kind, Metrics, Page, Rgb, Role, Style};

pub const A4_PORTRAIT: (f32, f32) = (595.28, 841.89);
pub const MARGIN: f32 = 42.5; // 15 mm

/// A table cell: text, or a status shown as a chip with its word.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Bold(String),
    Status(Option<Rag>, &'static str),
}

pub struct Col {
    pub title: &'static str,
    /// Share of the table's width.
    pub width: f32,
}

pub struct Flow<'a> {
    m: &'a dyn Metrics,
    w: f32,
    h: f32,
    top: f32,
    bottom: f32,
    /// Pages finished; `page` is the one being filled (so there is always a current page).
    pages: Vec<Page>,
    page: Page,
    outline: Vec<Bookmark>,
    y: f32,
    pub missing: Vec<char>,
    pub body: Style,
    /// Repeated above a table's header row when the table goes on to a new page.
    continued: Option<String>,
}

impl<'a> Flow<'a> {
    pub fn new(m: &'a dyn Metrics) -> Flow<'a> {
        let (w, h) = A4_PORTRAIT;
        let top = MARGIN + 18.0;
        let page = Page { width: w, height: h, items: vec![] };
        Flow {
            m,
            w,
            h,
            top,
            bottom: h - MARGIN - 18.0,
            pages: vec![],
            page,
            outline: vec![],
            y: top,
            missing: vec![],
            body: Style::new(10.0, Face::Regular),
            continued: None,
        }
    }

    pub fn width(&self) -> f32 {
        self.w - 2.0 * MARGIN
    }

    fn items(&mut self) -> &mut Vec<Item> {
        &mut self.page.items
    }

    fn blank(&self) -> Page {
        Page { width: self.w, height: self.h, items: vec![] }
    }

    /// Goes on on a fresh page (the current one if nothing is on it yet).
    pub fn new_page(&mut self) {
        if !self.page.items.is_empty() {
            let blank = self.blank();
            let done = std::mem::replace(&mut self.page, blank);
            self.pages.push(done);
        }
        self.y = self.top;
    }

    /// Adds finished pages (e.g. the Plan on a Page, landscape, as an appendix), listed in the
    /// outline as `title`; the flow goes on on a new page after them.
    pub fn push_pages(&mut self, title: &str, pages: Vec<Page>) {
        self.new_page();
        self.outline.push(Bookmark { title: title.to_string(), page: self.pages.len(), top: 0.0 });
        self.pages.extend(pages);
    }

    /// Starts a new page unless `need` points still fit on this one.
    pub fn ensure(&mut self, need: f32) {
        if self.y + need > self.bottom && self.y > self.top {
            self.new_page();
        }
    }

    pub fn space(&mut self, pts: f32) {
        self.y = (self.y + pts).min(self.bottom);
    }

    fn lines(&mut self, text: &str, style: &Style, x: f32, width: f32, role: Role) {
        let lines = wrap(self.m, style, text, width, &mut self.missing);
        for line in lines {
            self.ensure(style.line_height());
            let (its, used) = place_lines(self.m, std::slice::from_ref(&line), style, x, self.y, &role);
            self.items().extend(its);
            self.y += used;
        }
    }

    pub fn heading(&mut self, level: u8, text: &str) {
        // Keep a heading with what follows: three lines of text, or more for a section heading
        // (which is often followed by a sub-heading and a table header).
        self.heading_with(level, text, if level <= 2 { 9.0 } else { 4.0 });
    }

    /// A heading kept on one page with the `follow` lines of body text after it: a short
    /// block (the author block) asks for only what it holds, so it neither breaks from its
    /// heading nor leaves a near-empty page behind.
    pub fn heading_with(&mut self, level: u8, text: &str, follow: f32) {
        let size = match level {
            1 => 20.0,
            2 => 14.0,
            _ => 11.5,
        };
        let style = Style::new(size, Face::Bold).color(if level == 1 { Rgb::DARK } else { Rgb::TEXT });
        self.ensure(style.line_height() * 1.6 + self.body.line_height() * follow);
        self.space(if level == 1 { 0.0 } else { size * 0.6 });
        if level <= 2 {
            self.outline.push(Bookmark { title: text.to_string(), page: self.pages.len(), top: self.y });
        }
        self.lines(text, &style, MARGIN, self.width(), Role::Heading(level));
        self.space(size * 0.3);
    }

    pub fn paragraph(&mut self, text: &str) {
        let style = self.body;
        self.lines(text, &style, MARGIN, self.width(), Role::Paragraph);
        self.space(style.size * 0.6);
    }

    pub fn styled(&mut self, text: &str, style: Style) {
        self.lines(text, &style, MARGIN, self.width(), Role::Paragraph);
        self.space(style.size * 0.4);
    }

    /// The status key: every status as a chip with its word, and what it means.
    pub fn legend_row(&mut self) {
        self.ensure(30.0);
        let (items, h) = crate::legend(self.m, MARGIN, self.y, self.width(), 1.0);
        self.items().extend(items);
        self.y += h;
        self.space(4.0);
    }

    /// "1.2  text" with the text hanging clear of the number.
    pub fn numbered(&mut self, number: &str, text: &str) {
        let style = self.body;
        let indent = 34.0;
        let lines = wrap(self.m, &style, text, self.width() - indent, &mut self.missing);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(style.line_height());
            if i == 0 {
                let n = wrap(self.m, &Style::new(style.size, Face::Bold), number, indent, &mut self.missing);
                let (its, _) = place_lines(self.m, &n, &Style::new(style.size, Face::Bold), MARGIN, self.y, &Role::ListItem);
                self.items().extend(its);
            }
            let (its, used) = place_lines(self.m, std::slice::from_ref(line), &style, MARGIN + indent, self.y, &Role::Paragraph);
            self.items().extend(its);
            self.y += used;
        }
        self.space(style.size * 0.6);
    }

    pub fn bullets(&mut self, items: &[String]) {
        let style = self.body;
        for t in items {
            let lines = wrap(self.m, &style, t, self.width() - 14.0, &mut self.missing);
            for (i, line) in lines.iter().enumerate() {
                self.ensure(style.line_height());
                if i == 0 {
                    let y = self.y + style.size * self.m.ascent();
                    self.items().push(Item {
                        role: Role::ListItem,
                        kind: Kind::Text { x: MARGIN + 3.0, y, size: style.size, face: Face::Regular, color: Rgb::BRAND, text: "•".into() },
                    });
                }
                let (its, used) = place_lines(self.m, std::slice::from_ref(line), &style, MARGIN + 14.0, self.y, &Role::ListItem);
                self.items().extend(its);
                self.y += used;
            }
        }
        self.space(style.size * 0.6);
    }

    fn header_row(&mut self, cols: &[Col], widths: &[f32], repeat: bool, size: f32) {
        let st = Style::new(size, Face::Bold).color(Rgb::WHITE);
        let pad = 3.0;
        let wrapped: Vec<_> = cols.iter().zip(widths).map(|(c, w)| wrap(self.m, &st, c.title, w - 2.0 * pad, &mut self.missing)).collect();
        let h = wrapped.iter().map(|l| l.len()).max().unwrap_or(1) as f32 * st.line_height() + 2.0 * pad;
        let role = if repeat { Role::Artifact } else { Role::TableHeader };
        let y = self.y;
        self.items().push(Item { role: Role::Artifact, kind: Kind::Rect { x: MARGIN, y, w: widths.iter().sum(), h, fill: Some(Rgb::DARK), stroke: None } });
        let mut x = MARGIN;
        for (lines, w) in wrapped.iter().zip(widths) {
            let (its, _) = place_lines(self.m, lines, &st, x + pad, y + pad, &role);
            self.items().extend(its);
            x += w;
        }
        self.y += h;
    }

    /// A table under its own heading (level 3): on every page it goes on to, the heading is
    /// repeated as "… (continued)" above the repeated header row.
    pub fn titled_table(&mut self, title: &str, cols: &[Col], rows: &[Vec<Cell>], size: f32) {
        self.heading(3, title);
        self.continued = Some(format!("{title} (continued)"));
        self.table(cols, rows, size);
        self.continued = None;
    }

    /// A table: the header repeats on each page; a row too tall for what is left of a page is
    /// split between lines, never drawn past the bottom.
    pub fn table(&mut self, cols: &[Col], rows: &[Vec<Cell>], size: f32) {
        let total: f32 = cols.iter().map(|c| c.width).sum();
        let widths: Vec<f32> = cols.iter().map(|c| c.width / total * self.width()).collect();
        let pad = 3.0;
        let st = Style::new(size, Face::Regular);
        let bold = Style::new(size, Face::Bold);
        self.ensure(st.line_height() * 4.0);
        self.header_row(cols, &widths, false, size);
        for (ri, row) in rows.iter().enumerate() {
            // Each cell as lines (a status cell is one line high).
            let cells: Vec<Vec<crate::layout::Line>> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| match c {
                    Cell::Text(t) => wrap(self.m, &st, t, w - 2.0 * pad, &mut self.missing),
                    Cell::Bold(t) => wrap(self.m, &bold, t, w - 2.0 * pad, &mut self.missing),
                    Cell::Status(..) => vec![crate::layout::Line::default()],
                })
                .collect();
            let n = cells.iter().map(|l| l.len()).max().unwrap_or(1).max(1);
            let mut done = 0;
            while done < n {
                let room = ((self.bottom - self.y - 2.0 * pad) / st.line_height()).floor() as isize;
                if room < 1 || (done == 0 && room < n.min(3) as isize) {
                    self.new_page();
                    if let Some(title) = self.continued.clone() {
                        let style = Style::new(11.5, Face::Bold);
                        self.lines(&title, &style, MARGIN, self.width(), Role::Artifact);
                        self.space(3.0);
                    }
                    self.header_row(cols, &widths, true, size);
                    continue;
                }
                let take = (room as usize).min(n - done);
                let h = take as f32 * st.line_height() + 2.0 * pad;
                let y = self.y;
                if ri % 2 == 1 {
                    self.items()
                        .push(Item { role: Role::Artifact, kind: Kind::Rect { x: MARGIN, y, w: widths.iter().sum(), h, fill: Some(Rgb::PALE), stroke: None } });
                }
                let mut x = MARGIN;
                for ((cell, lines), w) in row.iter().zip(&cells).zip(&widths) {
                    match cell {
                        Cell::Status(rag, none) if done == 0 => {
                            let its = status_cell(self.m, *rag, none, x + pad, y + pad * 0.6, size * 0.92);
                            self.items().extend(its);
                        }
                        Cell::Status(..) => {}
                        Cell::Bold(_) => {
                            let part: Vec<_> = lines.iter().skip(done).take(take).cloned().collect();
                            let (its, _) = place_lines(self.m, &part, &bold, x + pad, y + pad, &Role::TableCell);
                            self.items().extend(its);
                        }
                        Cell::Text(_) => {
                            let part: Vec<_> = lines.iter().skip(done).take(take).cloned().collect();
                            let (its, _) = place_lines(self.m, &part, &st, x + pad, y + pad, &Role::TableCell);
                            self.items().extend(its);
                        }
                    }
                    x += w;
                }
                self.items().push(Item {
                    role: Role::Artifact,
                    kind: Kind::Line { x1: MARGIN, y1: y + h, x2: MARGIN + widths.iter().sum::<f32>(), y2: y + h, width: 0.4, color: Rgb::RULE },
                });
                self.y += h;
                done += take;
            }
        }
        self.space(size);
    }

    /// Adds the running header and "Page X of Y" footer to every page and returns the document.
    pub fn finish(mut self, title: &str, author: &str, subject: &str, running: &str, mut warnings: Vec<String>) -> Document {
        // The page being filled, unless it is blank and there are others.
        if !self.page.items.is_empty() || self.pages.is_empty() {
            let blank = self.blank();
            let last = std::mem::replace(&mut self.page, blank);
            self.pages.push(last);
        }
        let n = self.pages.len();
        let small = Style::new(8.0, Face::Regular).color(Rgb::SECONDARY);
        for (i, page) in self.pages.iter_mut().enumerate() {
            let (pw, ph) = (page.width, page.height);
            // A page laid out by another document (the Plan on a Page) has its own title band.
            let own = (pw, ph) == (self.w, self.h);
            if !own {
                let foot = format!("Page {} of {}", i + 1, n);
                let fl = wrap(self.m, &small, &foot, 200.0, &mut Vec::new());
                let fw = fl.first().map(|l| l.width).unwrap_or(0.0);
                let (its, _) = place_lines(self.m, &fl, &small, pw - 28.35 - fw, ph - 20.0, &Role::Artifact);
                page.items.extend(its);
                continue;
            }
            let head = wrap(self.m, &small, running, self.w - 2.0 * MARGIN, &mut Vec::new());
            let (its, _) = place_lines(self.m, &head[..1.min(head.len())], &small, MARGIN, MARGIN - 4.0, &Role::Artifact);
            page.items.extend(its);
            page.items.push(Item {
                role: Role::Artifact,
                kind: Kind::Line { x1: MARGIN, y1: MARGIN + 8.0, x2: self.w - MARGIN, y2: MARGIN + 8.0, width: 0.5, color: Rgb::RULE },
            });
            let foot = format!("Page {} of {}", i + 1, n);
            let fl = wrap(self.m, &small, &foot, 200.0, &mut Vec::new());
            let fw = fl.first().map(|l| l.width).unwrap_or(0.0);
            let (its, _) = place_lines(self.m, &fl, &small, self.w - MARGIN - fw, self.h - MARGIN + 2.0, &Role::Artifact);
            page.items.extend(its);
            let tl = wrap(self.m, &small, title, self.w - 2.0 * MARGIN - fw - 20.0, &mut Vec::new());
            let (its, _) = place_lines(self.m, &tl[..1.min(tl.len())], &small, MARGIN, self.h - MARGIN + 2.0, &Role::Artifact);
            page.items.extend(its);
        }
        if !self.missing.is_empty() {
            let list: Vec<String> = self.missing.iter().map(|c| format!("U+{:04X}", *c as u32)).collect();
            warnings.push(format!("Some characters have no glyph in the document's fonts and are shown as \"?\": {}", list.join(", ")));
        }
        Document { title: title.into(), author: author.into(), subject: subject.into(), pages: self.pages, outline: self.outline, warnings }
    }
}

/// A status chip in a table cell, or the given word (e.g. "No return") when there is none.
fn status_cell(m: &dyn Metrics, rag: Option<Rag>, none: &str, x: f32, top: f32, size: f32) -> Vec<Item> {
    match rag {
        Some(r) => crate::chip(m, r, x, top, size).0,
        None => {
            let st = Style::new(size, Face::Bold).color(Rgb::SECONDARY);
            let lines = wrap(m, &st, none, 200.0, &mut Vec::new());
            place_lines(m, &lines, &st, x, top + size * 0.2, &Role::TableCell).0
        }
    }
}
