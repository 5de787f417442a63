-- Trigram matching for read-model search: substrings, and scripts without spaces between
-- words (Chinese, Japanese), where full-text search finds nothing. pg_trgm ships with
-- PostgreSQL and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
