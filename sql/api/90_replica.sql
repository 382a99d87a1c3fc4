-- The read replica's lag as the app nodes see it (src/db.c, the lag
-- check: each worker asks its replica every few hundred milliseconds and
-- sends public reads there only while the answer is under
-- SAN_REPLICA_MAX_LAG_MS).
--
-- Milliseconds this server's data is behind its primary:
--   * 0 on a primary (not in recovery);
--   * NULL (unknown: the caller reads from the primary) when no WAL
--     receiver runs -- the stream is broken, so nothing says how far
--     behind the replica is -- or when nothing was replayed yet;
--   * 0 when everything received has been replayed: the replica is as
--     fresh as the stream.  An idle primary sends nothing, so
--     now() - pg_last_xact_replay_timestamp() alone would grow without
--     any lag; comparing the received and replayed WAL positions does not;
--   * otherwise the age of the last replayed commit: with replay paused or
--     slow while the primary writes, this grows with the real delay.  Right
--     after a long idle spell, a new WAL record not yet replayed (for a
--     few milliseconds) reads as a large lag; src/db.c caps the answer by
--     the time since its last check that said 0.
-- Needs no privilege beyond what PUBLIC has on these catalog functions;
-- pg_stat_wal_receiver shows its row (pid only) to every role.
CREATE FUNCTION api.replica_lag_ms() RETURNS bigint
LANGUAGE sql STABLE
AS $$
SELECT CASE
	WHEN NOT pg_is_in_recovery() THEN 0
	WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN NULL
	WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
	ELSE greatest(0, round(1000 * extract(epoch FROM
	    clock_timestamp() - pg_last_xact_replay_timestamp())))::bigint
END
$$;
