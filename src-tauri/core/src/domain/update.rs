//! The rules of a quarterly update: Red and Amber need a commentary, Red also needs a
//! mitigation / next step. In the app a rule-breaking update is kept as an incomplete draft;
//! the CLI refuses it.

use serde::{Deserialize, Serialize};

use super::status::Rag;

/// One broken rule, naming the field the coordinator has to fill in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

/// Checks an update against the RAG rules. An empty list means the update is complete.
/// PRODUCT.md "Which quarter": an action owes a return for `q` only if it has started by the
/// quarter's end and is neither cancelled nor completed in an earlier quarter. The one rule the
/// dashboard's counts, the chase list, sign-off's missing list, the meeting pack's "Returns
/// not received" and the partners' workbooks all use.
pub fn owes_return(lifecycle: super::Lifecycle, start: Option<chrono::NaiveDate>, completed_in: Option<super::Quarter>, q: super::Quarter) -> bool {
    lifecycle != super::Lifecycle::Cancelled && start.is_none_or(|s| s <= q.end()) && completed_in.is_none_or(|done| done >= q)
}

/// An action's lifecycle as its (complete, non-draft) updates say it: Complete once any
/// quarter reported Complete; in progress once any reported Red, Amber or Green, or once its
/// start date has come; not started before that. Cancelled is set by hand, never here.
pub fn lifecycle_from(rags: &[Rag], start: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> super::Lifecycle {
    use super::Lifecycle;
    if rags.contains(&Rag::Complete) {
        Lifecycle::Complete
    } else if rags.iter().any(|r| matches!(r, Rag::Red | Rag::Amber | Rag::Green)) || start.is_none_or(|s| s <= today) {
        Lifecycle::InProgress
    } else {
        Lifecycle::NotStarted
    }
}

pub fn problems(rag: Option<Rag>, commentary: &str, next_steps: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let Some(rag) = rag else {
        out.push(Problem { field: "rag", message: "choose a status".into() });
        return out;
    };
    if matches!(rag, Rag::Red | Rag::Amber) && commentary.trim().is_empty() {
        out.push(Problem {
            field: "commentary",
            message: format!("{} needs a commentary saying what has slipped and why", crate::validate::with_article(&format!("{} update", rag.label()))),
        });
    }
    if rag == Rag::Red && next_steps.trim().is_empty() {
        out.push(Problem { field: "next-steps", message: "a Red update needs a mitigation or next step for the partnership to decide on".into() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn red_needs_commentary_and_mitigation() {
        let p = problems(Some(Rag::Red), "", "");
        assert_eq!(p.iter().map(|p| p.field).collect::<Vec<_>>(), ["commentary", "next-steps"]);
        assert_eq!(problems(Some(Rag::Red), "Slipped", "").len(), 1);
        assert!(problems(Some(Rag::Red), "Slipped", "Escalate to CCSP").is_empty());
    }

    #[test]
    fn amber_needs_commentary_but_not_mitigation() {
        assert_eq!(problems(Some(Rag::Amber), "   ", "")[0].field, "commentary");
        assert!(problems(Some(Rag::Amber), "Some delay", "").is_empty());
    }

    #[test]
    fn green_complete_and_not_started_need_nothing_more() {
        for rag in [Rag::Green, Rag::Complete, Rag::NotStarted] {
            assert!(problems(Some(rag), "", "").is_empty());
        }
    }

    #[test]
    fn an_update_without_a_status_is_incomplete() {
        assert_eq!(problems(None, "text", "")[0].field, "rag");
    }
}
