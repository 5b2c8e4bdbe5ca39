//! Matching app customers to QuickBooks customers and jobs.
