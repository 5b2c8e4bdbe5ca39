//! End-to-end tests of the endpoint over real HTTP.
