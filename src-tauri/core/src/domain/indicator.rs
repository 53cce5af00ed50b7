//! What is derived from an indicator's values: movement since the previous quarter, whether
//! that is better or worse (by polarity), and a RAG against target. Context-only indicators
//! (no target) get the movement but no judgement: a rise in reported hate crime can mean more
//! confidence to report.

use serde::Serialize;

use super::{Direction, Polarity, Rag};

/// Which way the figure moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    Up,
    Down,
    Level,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Trend {
    pub movement: Movement,
    /// None for context-only indicators.
    pub direction: Option<Direction>,
}

/// Movement from `previous` to `latest`, judged by polarity unless the indicator is context only.
pub fn trend(polarity: Polarity, context_only: bool, previous: Option<f64>, latest: Option<f64>) -> Option<Trend> {
    let (p, l) = (previous?, latest?);
    let movement = if (l - p).abs() < f64::EPSILON * p.abs().max(1.0) {
        Movement::Level
    } else if l > p {
        Movement::Up
    } else {
        Movement::Down
    };
    let direction = (!context_only).then_some(match (movement, polarity) {
        (Movement::Level, _) => Direction::Same,
        (Movement::Up, Polarity::HigherIsBetter) | (Movement::Down, Polarity::LowerIsBetter) => Direction::Better,
        _ => Direction::Worse,
    });
    Some(Trend { movement, direction })
}

/// RAG against target: Green at or better than target; Amber short of target but no worse than
/// baseline (or no baseline); Red worse than baseline. None without a target or a value.
pub fn rag_against_target(polarity: Polarity, baseline: Option<f64>, target: Option<f64>, latest: Option<f64>) -> Option<Rag> {
    let (t, l) = (target?, latest?);
    let better_or_equal = |a: f64, b: f64| match polarity {
        Polarity::HigherIsBetter => a >= b,
        Polarity::LowerIsBetter => a <= b,
    };
    Some(if better_or_equal(l, t) {
        Rag::Green
    } else if baseline.is_none_or(|b| better_or_equal(l, b)) {
        Rag::Amber
    } else {
        Rag::Red
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fall_in_a_crime_count_is_better() {
        let t = trend(Polarity::LowerIsBetter, false, Some(120.0), Some(100.0)).unwrap();
        assert_eq!(t.movement, Movement::Down);
        assert_eq!(t.direction, Some(Direction::Better));
    }

    #[test]
    fn a_rise_in_a_context_only_indicator_is_shown_but_not_judged() {
        let t = trend(Polarity::HigherIsBetter, true, Some(150.0), Some(180.0)).unwrap();
        assert_eq!(t.movement, Movement::Up);
        assert_eq!(t.direction, None);
    }

    #[test]
    fn no_previous_value_means_no_trend() {
        assert_eq!(trend(Polarity::LowerIsBetter, false, None, Some(1.0)), None);
    }

    #[test]
    fn rag_against_target_uses_baseline_for_amber_and_red() {
        let rag = |l| rag_against_target(Polarity::LowerIsBetter, Some(100.0), Some(90.0), Some(l));
        assert_eq!(rag(85.0), Some(Rag::Green));
        assert_eq!(rag(90.0), Some(Rag::Green));
        assert_eq!(rag(95.0), Some(Rag::Amber));
        assert_eq!(rag(110.0), Some(Rag::Red));
        assert_eq!(rag_against_target(Polarity::HigherIsBetter, Some(60.0), Some(70.0), Some(65.0)), Some(Rag::Amber));
        assert_eq!(rag_against_target(Polarity::HigherIsBetter, Some(60.0), None, Some(65.0)), None, "context only");
    }
}
