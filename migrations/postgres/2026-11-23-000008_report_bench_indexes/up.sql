-- Found by `cargo bench --bench reports` (1M activities in 20 municipalities).
-- Budget reports for one organisation subtree: without a covering index on the lines' owner,
-- SQLite started from every municipality's plans of the years asked for and read all their
-- lines (≈ 10 × slower for one municipality); with it, it reads the subtree's lines only.
CREATE INDEX budget_lines_report ON budget_lines (organisation_id, plan_id, category, period, planned, forecast, actual);
