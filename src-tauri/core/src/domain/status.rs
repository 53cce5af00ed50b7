//! The RAG scale, action lifecycle, direction of travel, lenses and indicator polarity.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// A quarterly status. Always shown with its word, never by colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Red,
    Amber,
    Green,
    Complete,
    NotStarted,
}

impl Rag {
    pub const ALL: [Rag; 5] = [Rag::Red, Rag::Amber, Rag::Green, Rag::Complete, Rag::NotStarted];

    pub fn code(self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
            Rag::Complete => "complete",
            Rag::NotStarted => "not_started",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Rag::Red => "Red",
            Rag::Amber => "Amber",
            Rag::Green => "Green",
            Rag::Complete => "Complete",
            Rag::NotStarted => "Not started",
        }
    }

    /// What the status means, as every export's legend says it.
    pub fn meaning(self) -> &'static str {
        match self {
            Rag::Red => "Off track or significant issue; needs a partnership decision or escalation",
            Rag::Amber => "Some slippage or risk, being managed within the partnership",
            Rag::Green => "On track",
            Rag::Complete => "Delivered",
            Rag::NotStarted => "Not yet due to start",
        }
    }

    /// The key that chooses it on the quarterly update screen (and its one-letter code).
    pub fn letter(self) -> char {
        match self {
            Rag::Red => 'R',
            Rag::Amber => 'A',
            Rag::Green => 'G',
            Rag::Complete => 'C',
            Rag::NotStarted => 'N',
        }
    }

    /// What it means in a few words, as the papers' status key says it (`meaning` in full).
    pub fn short_meaning(self) -> &'static str {
        match self {
            Rag::Red => "off track; needs a decision",
            Rag::Amber => "slippage, managed",
            Rag::Green => "on track",
            Rag::Complete => "delivered",
            Rag::NotStarted => "not yet due",
        }
    }

    /// The shape that goes with it, so a status never depends on colour alone.
    pub fn shape(self) -> &'static str {
        match self {
            Rag::Red => "▲",
            Rag::Amber => "◆",
            Rag::Green => "●",
            Rag::Complete => "✓",
            Rag::NotStarted => "○",
        }
    }

    /// Its colours as `#rrggbb`: (text and border, background). Each pair meets WCAG AA for
    /// normal text; the screens, the PDFs and the workbooks all take them from here.
    pub fn colours(self) -> (&'static str, &'static str) {
        match self {
            Rag::Red => ("#942514", "#f6d7d2"),
            Rag::Amber => ("#5e3d00", "#ffe9a8"),
            Rag::Green => ("#005a30", "#cce2d8"),
            Rag::Complete => ("#144e81", "#d2e2f1"),
            Rag::NotStarted => ("#383f43", "#eeefef"),
        }
    }

    /// Rank for direction of travel: Red < Amber < Green < Complete. Not started has none.
    pub fn rank(self) -> Option<u8> {
        match self {
            Rag::Red => Some(0),
            Rag::Amber => Some(1),
            Rag::Green => Some(2),
            Rag::Complete => Some(3),
            Rag::NotStarted => None,
        }
    }

    /// Accepts the code, the label, a single letter (r/a/g/c/n) and the colour names.
    pub fn parse(text: &str) -> Result<Rag, CoreError> {
        let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Ok(match t.as_str() {
            "red" | "r" => Rag::Red,
            "amber" | "a" => Rag::Amber,
            "green" | "g" => Rag::Green,
            "complete" | "completed" | "c" | "blue" => Rag::Complete,
            "not_started" | "n" | "grey" | "gray" => Rag::NotStarted,
            _ => return Err(CoreError::invalid("rag", format!("\"{}\" is not a status; use red, amber, green, complete or not-started", text.trim()))),
        })
    }
}

impl fmt::Display for Rag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What kind of partner an organisation is in the partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    /// A responsible authority under the Crime and Disorder Act 1998 (police, fire, council...).
    ResponsibleAuthority,
    Other,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 2] = [PartnerKind::ResponsibleAuthority, PartnerKind::Other];

    pub fn code(self) -> &'static str {
        match self {
            PartnerKind::ResponsibleAuthority => "responsible_authority",
            PartnerKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PartnerKind::ResponsibleAuthority => "Responsible authority",
            PartnerKind::Other => "Other partner",
        }
    }

    /// The stored code; anything else is not a kind.
    pub fn from_code(code: &str) -> Option<PartnerKind> {
        PartnerKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Where a quarter stands: PRODUCT.md's three states, derived from today's date (UK local date,
/// `CCSP_TODAY` overriding) and the sign-offs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum QuarterState {
    /// Started (or ended) and not signed off: updates may be entered.
    Open,
    /// Signed off at the CCSP meeting: its updates, indicator values and spend are frozen.
    SignedOff,
    /// Not begun yet.
    NotStarted,
}

impl QuarterState {
    pub const ALL: [QuarterState; 3] = [QuarterState::Open, QuarterState::SignedOff, QuarterState::NotStarted];

    /// The state of a quarter starting on `start`, today, signed off or not.
    pub fn of(start: chrono::NaiveDate, today: chrono::NaiveDate, signed_off: bool) -> QuarterState {
        if signed_off {
            QuarterState::SignedOff
        } else if start <= today {
            QuarterState::Open
        } else {
            QuarterState::NotStarted
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            QuarterState::Open => "open",
            QuarterState::SignedOff => "signed_off",
            QuarterState::NotStarted => "not_started",
        }
    }

    /// The word for it in running text ("2026/27 Q1 · signed off").
    pub fn label(self) -> &'static str {
        match self {
            QuarterState::Open => "open",
            QuarterState::SignedOff => "signed off",
            QuarterState::NotStarted => "not started",
        }
    }
}

/// Change in status since the previous quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Better,
    Same,
    Worse,
}

impl Direction {
    /// Direction from last quarter's status to this quarter's; none when either is missing
    /// or Not started.
    pub fn between(previous: Option<Rag>, now: Option<Rag>) -> Option<Direction> {
        let (p, n) = (previous?.rank()?, now?.rank()?);
        Some(match n.cmp(&p) {
            std::cmp::Ordering::Greater => Direction::Better,
            std::cmp::Ordering::Equal => Direction::Same,
            std::cmp::Ordering::Less => Direction::Worse,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Better => "Better",
            Direction::Same => "Same",
            Direction::Worse => "Worse",
        }
    }
}

/// Where an action is in its life, independent of this quarter's RAG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    NotStarted,
    InProgress,
    Complete,
    Cancelled,
}

impl Lifecycle {
    pub const ALL: [Lifecycle; 4] = [Lifecycle::NotStarted, Lifecycle::InProgress, Lifecycle::Complete, Lifecycle::Cancelled];

    pub fn code(self) -> &'static str {
        match self {
            Lifecycle::NotStarted => "not_started",
            Lifecycle::InProgress => "in_progress",
            Lifecycle::Complete => "complete",
            Lifecycle::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Lifecycle::NotStarted => "Not started",
            Lifecycle::InProgress => "In progress",
            Lifecycle::Complete => "Complete",
            Lifecycle::Cancelled => "Cancelled",
        }
    }

    pub fn parse(field: &str, text: &str) -> Result<Lifecycle, CoreError> {
        let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Ok(match t.as_str() {
            "not_started" => Lifecycle::NotStarted,
            "in_progress" => Lifecycle::InProgress,
            "complete" => Lifecycle::Complete,
            "cancelled" => Lifecycle::Cancelled,
            _ => return Err(CoreError::invalid(field, format!("\"{}\" is not a lifecycle; use not-started, in-progress, complete or cancelled", text.trim()))),
        })
    }
}

/// The problem-oriented policing lenses a priority addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Lens {
    Victim,
    Location,
    Offender,
}

impl Lens {
    pub const ALL: [Lens; 3] = [Lens::Victim, Lens::Location, Lens::Offender];

    pub fn label(self) -> &'static str {
        match self {
            Lens::Victim => "Victim",
            Lens::Location => "Location",
            Lens::Offender => "Offender",
        }
    }
}

/// Whether a higher indicator value is better or worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    HigherIsBetter,
    LowerIsBetter,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_ranks_red_below_amber_below_green_below_complete() {
        use Rag::*;
        assert_eq!(Direction::between(Some(Red), Some(Amber)), Some(Direction::Better));
        assert_eq!(Direction::between(Some(Green), Some(Amber)), Some(Direction::Worse));
        assert_eq!(Direction::between(Some(Green), Some(Complete)), Some(Direction::Better));
        assert_eq!(Direction::between(Some(Amber), Some(Amber)), Some(Direction::Same));
    }

    #[test]
    fn not_started_or_missing_status_has_no_direction() {
        assert_eq!(Direction::between(Some(Rag::NotStarted), Some(Rag::Green)), None);
        assert_eq!(Direction::between(None, Some(Rag::Green)), None);
        assert_eq!(Direction::between(Some(Rag::Red), None), None);
    }

    #[test]
    fn statuses_parse_from_words_letters_and_colours() {
        assert_eq!(Rag::parse("AMBER").unwrap(), Rag::Amber);
        assert_eq!(Rag::parse("not-started").unwrap(), Rag::NotStarted);
        assert_eq!(Rag::parse("Not started").unwrap(), Rag::NotStarted);
        assert_eq!(Rag::parse("blue").unwrap(), Rag::Complete);
        assert!(Rag::parse("purple").unwrap_err().to_string().starts_with("rag:"));
    }
}

/// A priority's status as at a quarter, as the Plan on a Page shows it: the worst of its
/// actions' latest status up to that quarter (`PriorityStatus::of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriorityStatus {
    Rag(Rag),
    /// An action's latest update is incomplete (a draft, or no status), or it has none.
    NoReturn,
}

/// What an action last reported up to a quarter: its status (None when incomplete) and
/// whether that update is a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatestStatus {
    pub rag: Option<Rag>,
    pub draft: bool,
}

impl PriorityStatus {
    /// The rule, in the words the Plan on a Page's key gives it.
    pub const RULE: &'static str = "A priority shows the worst latest status of its actions up to that quarter: \
        Red, then Amber, then No return (incomplete or missing), then Green, then Complete; actions not started are left out.";

    /// Worst first: Red, Amber, No return, Green, Complete.
    fn severity(self) -> u8 {
        match self {
            PriorityStatus::Rag(Rag::Red) => 0,
            PriorityStatus::Rag(Rag::Amber) => 1,
            PriorityStatus::NoReturn => 2,
            PriorityStatus::Rag(Rag::Green) => 3,
            PriorityStatus::Rag(Rag::Complete) => 4,
            PriorityStatus::Rag(Rag::NotStarted) => 5,
        }
    }

    /// One action's part in its priority's status: None when it is left out (cancelled, not
    /// started, or last reported as not started).
    pub fn of_action(lifecycle: Lifecycle, latest: Option<LatestStatus>) -> Option<PriorityStatus> {
        match (lifecycle, latest) {
            (Lifecycle::Cancelled, _) | (Lifecycle::NotStarted, None) => None,
            (_, Some(LatestStatus { rag: Some(Rag::NotStarted), draft: false })) => None,
            (_, Some(LatestStatus { rag: Some(r), draft: false })) => Some(PriorityStatus::Rag(r)),
            (_, Some(_)) => Some(PriorityStatus::NoReturn),
            (Lifecycle::Complete, None) => Some(PriorityStatus::Rag(Rag::Complete)),
            (Lifecycle::InProgress, None) => Some(PriorityStatus::NoReturn),
        }
    }

    /// The worst of the actions' parts; None when every action is left out.
    pub fn of(actions: impl IntoIterator<Item = (Lifecycle, Option<LatestStatus>)>) -> Option<PriorityStatus> {
        actions.into_iter().filter_map(|(l, s)| PriorityStatus::of_action(l, s)).min_by_key(|s| s.severity())
    }

    /// Sorts worst first (for "most important first" lists).
    pub fn rank(self) -> u8 {
        self.severity()
    }

    pub fn label(self) -> &'static str {
        match self {
            PriorityStatus::Rag(r) => r.label(),
            PriorityStatus::NoReturn => "No return",
        }
    }

    pub fn shape(self) -> &'static str {
        match self {
            PriorityStatus::Rag(r) => r.shape(),
            PriorityStatus::NoReturn => "–",
        }
    }

    /// Colours as `#rrggbb` (text and border, background); No return takes the neutral pair.
    pub fn colours(self) -> (&'static str, &'static str) {
        match self {
            PriorityStatus::Rag(r) => r.colours(),
            PriorityStatus::NoReturn => Rag::NotStarted.colours(),
        }
    }
}

#[cfg(test)]
mod priority_status_tests {
    use super::*;

    fn done(r: Rag) -> Option<LatestStatus> {
        Some(LatestStatus { rag: Some(r), draft: false })
    }

    #[test]
    fn a_priority_shows_its_worst_action_red_over_amber_over_no_return_over_green_over_complete() {
        use Lifecycle::*;
        let of = |v: Vec<(Lifecycle, Option<LatestStatus>)>| PriorityStatus::of(v);
        assert_eq!(of(vec![(InProgress, done(Rag::Green)), (InProgress, done(Rag::Red)), (InProgress, done(Rag::Amber))]), Some(PriorityStatus::Rag(Rag::Red)));
        assert_eq!(of(vec![(InProgress, done(Rag::Green)), (InProgress, None), (InProgress, done(Rag::Amber))]), Some(PriorityStatus::Rag(Rag::Amber)));
        assert_eq!(of(vec![(InProgress, done(Rag::Green)), (InProgress, None)]), Some(PriorityStatus::NoReturn));
        let draft = Some(LatestStatus { rag: Some(Rag::Green), draft: true });
        assert_eq!(of(vec![(Complete, done(Rag::Complete)), (InProgress, draft)]), Some(PriorityStatus::NoReturn), "a draft is incomplete");
        let blank = Some(LatestStatus { rag: None, draft: false });
        assert_eq!(of(vec![(InProgress, done(Rag::Green)), (InProgress, blank)]), Some(PriorityStatus::NoReturn), "no status is incomplete");
        assert_eq!(of(vec![(Complete, done(Rag::Complete)), (InProgress, done(Rag::Green))]), Some(PriorityStatus::Rag(Rag::Green)));
        assert_eq!(of(vec![(Complete, None), (Complete, done(Rag::Complete))]), Some(PriorityStatus::Rag(Rag::Complete)));
    }

    #[test]
    fn not_started_and_cancelled_actions_are_left_out_of_their_priority_status() {
        use Lifecycle::*;
        assert_eq!(PriorityStatus::of(vec![(NotStarted, None), (Cancelled, done(Rag::Red)), (InProgress, done(Rag::NotStarted))]), None);
        assert_eq!(PriorityStatus::of(vec![(NotStarted, None), (InProgress, done(Rag::Green))]), Some(PriorityStatus::Rag(Rag::Green)));
        assert_eq!(PriorityStatus::of(Vec::new()), None, "a priority with no actions has no status");
    }
}
