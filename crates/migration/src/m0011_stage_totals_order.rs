//! The board's column totals read the pipeline's index in stage order.
//!
//! m0010's index (…, pipeline_id, status, stage_id, …) holds the summed
//! columns, but SQLite's planner, asked to `GROUP BY stage_id`, preferred
//! `leads_board_idx` (organization_id, stage_id, …) for its order and
//! walked every lead of the organization: 110 ms for a 12,000-lead pipeline
//! in an organization of 200,000 leads, against 3 ms on this index, which
//! yields the pipeline's leads already grouped by stage. PostgreSQL's
//! grouping needs no sort on it either; the filters on `status` (funnel,
//! open-lead counts) stay inside the pipeline's range.

use sea_orm_migration::prelude::*;

use crate::ddl;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_stage_totals_order"
    }
}

const SQL: &str = r#"
CREATE INDEX leads_pipeline_stage_totals_idx ON leads
    (organization_id, pipeline_id, stage_id, status, estimated_value, probability);
DROP INDEX leads_pipeline_totals_idx
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await
    }
}
