//! Reading field-service records from JSON and CSV files (shared design `import-format.md`).
