DROP INDEX budget_lines_report;
