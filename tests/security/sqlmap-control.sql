-- tests/security/sqlmap-control.sql: the positive control of
-- tests/security/sqlmap.sh.  Loaded into its scratch database (never a
-- real one) after every point has been probed, it replaces
-- api.store_list (GET /api/v1/stores) with a copy whose q argument is
-- pasted into dynamic SQL, the mistake the floor's SQL never makes.
-- sqlmap must then report get.stores:query.q injectable; if it does not,
-- the harness cannot see what it is looking for and the run fails.
-- Keep its signature and result equal to sql/api/30_store.sql's.
CREATE OR REPLACE FUNCTION api.store_list(p_q text, p_province text,
    p_after bigint, p_limit int) RETURNS api.result
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = san, public, pg_temp
AS $$
DECLARE
	v_ids	bigint[];
BEGIN
	EXECUTE 'SELECT array_agg(id) FROM san.stores WHERE name <> '''
	    || coalesce(p_q, '') || '''' INTO v_ids;
	RETURN (WITH page AS MATERIALIZED (
		SELECT s.id
		  FROM san.stores s
		  JOIN san.businesses b ON b.id = s.business_id
		 WHERE b.status = 'verified' AND s.status = 'active'
		   AND (p_q IS NULL OR s.id = ANY (v_ids))
		 ORDER BY s.id DESC
		 LIMIT p_limit)
	SELECT api.ok(200, json_build_object(
	    'items', COALESCE((SELECT json_agg(api.store_json(s, b)
		ORDER BY s.id DESC)
		FROM page JOIN san.stores s ON s.id = page.id
		JOIN san.businesses b ON b.id = s.business_id), '[]'),
	    'next', NULL)));
END $$;
