-- The seal of an entry row (EntrySeal: HMAC-SHA256 under the data dir's index-seal.key over the
-- group id, signed_bytes and signature). Null on rows written before seals: those are verified
-- in full on load, as is any row whose seal does not match.
ALTER TABLE idx_entry ADD COLUMN seal BINARY(32);
