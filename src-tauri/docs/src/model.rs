//! The document model: what a paper says, as a tree of semantic blocks, before any layout.
//! Each document module builds its paper once as a `Doc`; every output is made from it —
//! `flow` lays it out into pages for the tagged PDF (`pdf`), and `docx` writes the same
//! blocks as a Word document. The pipeline is one way: store → model → layout → writer.

use ccsp_core::domain::Rag;

/// A whole paper: its blocks in reading order and what describes it.
#[derive(Debug, Clone)]
pub struct Doc {
    pub title: String,
    pub author: String,
    pub subject: String,
    /// The line at the top of every page (partnership and title).
    pub running: String,
    /// The protective marking every page carries ("OFFICIAL"), from Settings.
    pub marking: String,
    pub blocks: Vec<Block>,
    /// What the reader of the paper should be told (sections still in draft...).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Block {
    Heading(Heading),
    Paragraph {
        text: String,
        look: Look,
    },
    List(List),
    Table(Table),
    /// The status scale: every status with its word, colour and shape, and what it means.
    StatusKey,
    /// What follows starts on a new page.
    PageBreak,
    /// The Plan on a Page as an appendix: one landscape page with its own layout.
    PlanOnAPage(Box<crate::plan_on_a_page::Pop>),
    /// A chart: its caption (a paragraph), then its Figure(s), read as their text alternatives.
    Figure(crate::chart::Figure),
}

#[derive(Debug, Clone)]
pub struct Heading {
    /// Its level in the document's outline (1–6, never skipping one).
    pub level: u8,
    pub text: String,
    /// How it looks: the title (1), a section (2) or a sub-heading (3). The front sheet's
    /// questions are level 2 in the outline and look like sub-headings.
    pub look: u8,
    /// Lines of body text kept on the same page after it.
    pub keep: f32,
}

/// How a paragraph looks; what it is stays a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    Body,
    /// Above the title: "Report to Cabinet and Council".
    Kicker,
    /// A line that stands out: the meeting the pack is for, a table's lead-in.
    Strong,
    /// Secondary: the plan and dates under a title.
    Muted,
    /// A small note under a table.
    Note,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Council-format numbered paragraphs: "3.1.", "3.2." under section "3." (`prefix` "3.").
    Numbered,
    /// Recommendations: "(1)", "(2)".
    Recommendations,
    Bullets,
}

#[derive(Debug, Clone)]
pub struct List {
    pub kind: ListKind,
    /// What every label starts with ("6.1." gives "6.1.1.", "6.1.2."); empty for the others.
    pub prefix: String,
    pub items: Vec<String>,
}

impl List {
    /// The label of item `i` (from 0), as the PDF draws it and Word numbers it.
    pub fn label(&self, i: usize) -> String {
        match self.kind {
            ListKind::Numbered => format!("{}{}.", self.prefix, i + 1),
            ListKind::Recommendations => format!("({})", i + 1),
            ListKind::Bullets => BULLET.to_string(),
        }
    }
}

pub const BULLET: &str = "•";

/// A table cell: text, or a status shown as a chip with its word.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Bold(String),
    /// A status (read and written as its word), or the given word when there is none.
    Status(Option<Rag>, &'static str),
}

impl Cell {
    /// What the cell says, as a reader hears it: a status is its word, never its shape.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) | Cell::Bold(t) => t.clone(),
            Cell::Status(Some(r), _) => r.label().to_string(),
            Cell::Status(None, none) => none.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Col {
    pub title: &'static str,
    /// Share of the table's width.
    pub width: f32,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Repeated above the header row on every page the table goes on to, "… (continued)".
    pub continued: Option<String>,
    pub cols: Vec<Col>,
    pub rows: Vec<Vec<Cell>>,
    /// Text size in points.
    pub size: f32,
}

/// What each status means, said once for every paper (the key): the core's words.
pub fn status_meaning(r: Rag) -> &'static str {
    r.short_meaning()
}

pub const STATUS_KEY: &str = "Status key:";

/// Builds a `Doc` block by block, in reading order.
#[derive(Debug, Default)]
pub struct Builder {
    blocks: Vec<Block>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }
    pub fn heading(&mut self, level: u8, text: &str) {
        self.heading_as(level, level, text);
    }
    /// A heading of `level` in the outline that looks like one of level `look`.
    pub fn heading_as(&mut self, level: u8, look: u8, text: &str) {
        let keep = if look <= 2 { 9.0 } else { 4.0 };
        self.blocks.push(Block::Heading(Heading { level, text: text.to_string(), look, keep }));
    }
    /// A heading kept on one page with the `keep` lines of body text after it: a short block
    /// (the author block) asks for only what it holds.
    pub fn heading_with(&mut self, level: u8, text: &str, keep: f32) {
        self.blocks.push(Block::Heading(Heading { level, text: text.to_string(), look: level, keep }));
    }
    pub fn paragraph(&mut self, text: &str) {
        self.styled(text, Look::Body);
    }
    pub fn styled(&mut self, text: &str, look: Look) {
        self.blocks.push(Block::Paragraph { text: text.to_string(), look });
    }
    /// Council-format numbered paragraphs under `prefix` ("3." numbers them "3.1.", "3.2.").
    pub fn numbered(&mut self, prefix: &str, paragraphs: &[String]) {
        self.list(ListKind::Numbered, prefix, paragraphs);
    }
    pub fn recommendations(&mut self, items: &[String]) {
        self.list(ListKind::Recommendations, "", items);
    }
    pub fn bullets(&mut self, items: &[String]) {
        self.list(ListKind::Bullets, "", items);
    }
    fn list(&mut self, kind: ListKind, prefix: &str, items: &[String]) {
        if !items.is_empty() {
            self.blocks.push(Block::List(List { kind, prefix: prefix.to_string(), items: items.to_vec() }));
        }
    }
    pub fn table(&mut self, cols: &[Col], rows: Vec<Vec<Cell>>, size: f32) {
        self.blocks.push(Block::Table(Table { continued: None, cols: cols.to_vec(), rows, size }));
    }
    /// A table under its own heading (level 3), repeated as "… (continued)" on every page
    /// the table goes on to.
    pub fn titled_table(&mut self, title: &str, cols: &[Col], rows: Vec<Vec<Cell>>, size: f32) {
        self.heading(3, title);
        self.blocks.push(Block::Table(Table { continued: Some(format!("{title} (continued)")), cols: cols.to_vec(), rows, size }));
    }
    pub fn status_key(&mut self) {
        self.blocks.push(Block::StatusKey);
    }
    pub fn page_break(&mut self) {
        self.blocks.push(Block::PageBreak);
    }
    pub fn figure(&mut self, caption: &str, chart: crate::chart::Chart) {
        self.blocks.push(Block::Figure(crate::chart::Figure { caption: caption.to_string(), chart }));
    }
    pub fn plan_on_a_page(&mut self, pop: crate::plan_on_a_page::Pop) {
        self.blocks.push(Block::PlanOnAPage(Box::new(pop)));
    }
    pub fn finish(self, title: String, author: String, subject: String, running: String, marking: String, warnings: Vec<String>) -> Doc {
        Doc { title, author, subject, running, marking, blocks: self.blocks, warnings }
    }
}

impl Doc {
    /// The paper's text in reading order, one string per piece a reader meets (a heading, a
    /// paragraph, a list label, a cell): the oracle the tagged PDF's structure tree must read
    /// back exactly, in this order.
    pub fn text(&self) -> Vec<String> {
        let mut out = Vec::new();
        for b in &self.blocks {
            block_text(b, &mut out);
        }
        out
    }
}

impl Doc {
    /// The paper as its pages show it: each Plan on a Page replaced by what fits on its one
    /// page (`plan_on_a_page::fit`). What the tagged PDF's structure tree must read.
    pub fn fitted(&self, m: &dyn crate::layout::Metrics) -> Doc {
        let mut doc = self.clone();
        for b in &mut doc.blocks {
            if let Block::PlanOnAPage(p) = b {
                **p = crate::plan_on_a_page::fit(m, p, crate::Paper::A4).0;
            }
        }
        doc
    }
}

fn block_text(b: &Block, out: &mut Vec<String>) {
    match b {
        Block::Heading(h) => out.push(h.text.clone()),
        Block::Paragraph { text, .. } => out.push(text.clone()),
        Block::List(l) => {
            for (i, t) in l.items.iter().enumerate() {
                out.push(l.label(i));
                out.push(t.clone());
            }
        }
        Block::Table(t) => {
            out.extend(t.cols.iter().map(|c| c.title.to_string()));
            for row in &t.rows {
                out.extend(row.iter().map(Cell::text));
            }
        }
        Block::StatusKey => key_text(out),
        Block::PageBreak => {}
        Block::PlanOnAPage(p) => out.extend(p.text()),
        Block::Figure(f) => {
            out.push(f.caption.clone());
            out.extend(f.alts());
        }
    }
}

/// The status key's text: its label, then each status's word and meaning.
pub fn key_text(out: &mut Vec<String>) {
    out.push(STATUS_KEY.to_string());
    for r in Rag::ALL {
        out.push(r.label().to_string());
        out.push(status_meaning(r).to_string());
    }
}
