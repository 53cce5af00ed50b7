//! Plain types and rules: quarters, money, statuses, the record's shapes. No SQL, no I/O.

pub mod holidays;
pub mod indicator;
pub mod model;
pub mod money;
pub mod quarter;
pub mod status;
pub mod update;

pub use model::*;
pub use money::Pence;
pub use quarter::{parse_date, FinancialYear, Quarter};
pub use status::{Direction, LatestStatus, Lens, Lifecycle, PartnerKind, Polarity, PriorityStatus, QuarterState, Rag};
