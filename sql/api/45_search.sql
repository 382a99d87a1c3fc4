-- Search and browse: GET /api/v1/products.
--
-- Only listed products.  p_q NULL (or blank) = no text filter.  Filters:
-- category with its subcategories, store slug, origin province (origin=
-- a code; province= a code or name, else the text of older rows folded),
-- price range (inclusive), minimum OCOP stars.  p_sort: newest | price_asc
-- | price_desc | relevance (NULL: relevance with q, else newest; relevance
-- without q is newest).  p_limit 1..100 (default 20).
--
-- Matching: the folded name contains the folded query, or the folded
-- query is word-similar to a part of it (pg_trgm word_similarity >= 0.6):
-- "ca phe" and NFD input find "Cà phê"; "banh trangg" finds "Bánh tráng".
-- (0.6, not 0.5: "tra xanh" is 0.56 word-similar to "Bánh tráng phơi
-- sương" through "tra" and "anh"; the typos we keep finding are >= 0.66.)
--
-- Relevance order, in levels, each matching product in exactly one:
--   tier 3: the name contains the query with its diacritics (case aside);
--   tier 2: the folded name contains the folded query;
--   tier 1: the folded name contains every word of the query (any order;
--           queries of two words or more);
--   tier 0: the rest (typos, partial words) in two bands of
--           word_similarity: >= 0.8, then >= 0.6;
-- and within a level, newest (id descending) first.  Since no level is
-- ordered by a score, every level is read in id order: first from the
-- newest rows (bounded windows, the second sized by the density the first
-- showed: cheap when the level is dense there) and, only when they hold
-- too few, from a trigram index (all older candidates, sorted).  So a
-- page costs a few thousand rows at most whatever the catalogue's size,
-- and no plan hangs on an estimate of how common "contains it with
-- diacritics" is, which the planner cannot know.  (Before, tier 0 was
-- ordered by the similarity itself: a typo of a common name scored every
-- trigram candidate, ~0.5 s at a million products.  Measured in the
-- commit that made the bands.)
--
-- Keyset cursors, opaque to clients: 'n:<id>' (newest), 'pa:<price>:<id>',
-- 'pd:<price>:<id>', 'r:<tier>:<band floor>:<id>' (floor 1.0000 for tiers
-- 3 to 1).  A cursor of another sort, or malformed: 400 invalid_cursor.
-- Products added while paging never make another product repeat or
-- vanish.
--
-- Queries are assembled from constant fragments (only the filters
-- present) over one parameter, the search context ($1, api.search), so
-- the planner sees a simple query and, through EXECUTE, the actual
-- values; the JSON is built for the page's ids alone.  A category with
-- subcategories and no q is read per subcategory (each in index order)
-- and merged, since "category_id = ANY(...)" cannot be read in id or
-- price order; a single category is ordered by (category_id, ...) so that
-- its index, not the global one filtered, gives the order.
-- enable_seqscan is off so that no estimate ever turns a page into a scan
-- of the whole catalogue.

CREATE TYPE api.search AS (
	err		text,	-- error code (400) or NULL
	err_field	text,
	empty		boolean,	-- unknown category or store: no rows
	sort		text,	-- newest | price_asc | price_desc | relevance
	lim		int,	-- page size
	q		text,	-- the query: NFC, blanks folded; NULL: none
	qf		text,	-- folded query
	pat		text,	-- LIKE: the folded name contains qf
	lower		text,	-- lower(q)
	exact		text,	-- LIKE: lower(name) contains lower(q)
	words		text[],	-- distinct words of qf
	wpats		text[],	-- LIKE: the folded name contains word i
	cats		int[],	-- the category's subtree
	cat1		int,	-- the category, when it is a leaf
	per_cat		boolean,	-- read per subcategory and merge
	store		bigint,
	prov		text,	-- folded province (text no province has)
	origin		text,	-- origin province code (origin=, province=)
	min_price	bigint,
	max_price	bigint,
	ocop		int,
	filter		text,	-- SQL " AND ..." on p and $1, filters present
	id_order	text,	-- SQL " ORDER BY ..." newest first
	tier		int,	-- cursor
	after_id	bigint,
	after_price	bigint,
	after_sim	numeric
);

-- A page: ids in order and the cursor of the next one.
CREATE TYPE api.search_page AS (ids bigint[], next text);

-- The context of one search from the request's arguments; err is set
-- for a bad sort or cursor.
CREATE FUNCTION api.search_context(p_q text, p_category int, p_store text,
    p_province text, p_min bigint, p_max bigint, p_ocop int, p_sort text,
    p_after text, p_limit int, p_origin text DEFAULT NULL)
RETURNS api.search
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	c	api.search;
	k	text[];
BEGIN
	c.empty := false;
	c.lim := least(greatest(COALESCE(p_limit, 20), 1), 100);
	c.q := NULLIF(btrim(regexp_replace(normalize(p_q, NFC), '\s+', ' ',
	    'g')), '');
	c.sort := COALESCE(p_sort, 'relevance');
	IF c.sort NOT IN ('newest', 'price_asc', 'price_desc', 'relevance')
	THEN
		c.err := 'invalid_choice';
		c.err_field := 'sort';
		RETURN c;
	END IF;
	IF c.sort = 'relevance' AND c.q IS NULL THEN
		c.sort := 'newest';
	END IF;

	-- The cursor must belong to this sort.
	IF p_after IS NOT NULL THEN
		k := string_to_array(p_after, ':');
		IF c.sort = 'newest' AND p_after ~ '^n:[0-9]{1,18}$' THEN
			c.after_id := k[2]::bigint;
		ELSIF c.sort = 'price_asc' AND
		    p_after ~ '^pa:[0-9]{1,18}:[0-9]{1,18}$' OR
		    c.sort = 'price_desc' AND
		    p_after ~ '^pd:[0-9]{1,18}:[0-9]{1,18}$' THEN
			c.after_price := k[2]::bigint;
			c.after_id := k[3]::bigint;
		ELSIF c.sort = 'relevance' AND
		    p_after ~ '^r:[0-3]:[01]\.[0-9]{4}:[0-9]{1,18}$' THEN
			c.tier := k[2]::int;
			c.after_sim := k[3]::numeric;
			c.after_id := k[4]::bigint;
		ELSE
			c.err := 'invalid_cursor';
			c.err_field := 'after';
			RETURN c;
		END IF;
	END IF;

	-- Filters.  An unknown category or store finds nothing.
	c.filter := '';
	IF p_category IS NOT NULL THEN
		c.cats := san.category_subtree(p_category);
		IF c.cats IS NULL THEN
			c.empty := true;
		ELSIF cardinality(c.cats) = 1 THEN
			c.cat1 := c.cats[1];
			c.filter := c.filter || ' AND p.category_id = ($1).cat1';
		ELSIF c.q IS NOT NULL THEN
			c.filter := c.filter ||
			    ' AND p.category_id = ANY (($1).cats)';
		ELSE
			c.per_cat := true;
		END IF;
	END IF;
	IF p_store IS NOT NULL THEN
		SELECT id INTO c.store FROM san.stores WHERE slug = p_store;
		c.empty := c.empty OR c.store IS NULL;
		c.filter := c.filter || ' AND p.store_id = ($1).store';
	END IF;
	-- origin: a province code (2 digits), matched on the stored code;
	-- province: a code or a current or former name, the same when it
	-- names a province, else the text of rows of before sql/022
	-- compared folded.
	IF p_origin IS NOT NULL THEN
		c.origin := (SELECT code FROM san.provinces
		    WHERE code = btrim(p_origin));
		c.empty := c.empty OR c.origin IS NULL;
	END IF;
	c.prov := san.fold(NULLIF(btrim(p_province), ''));
	IF san.province_code(c.prov) IS NOT NULL THEN
		c.empty := c.empty OR (c.origin IS NOT NULL AND
		    c.origin <> san.province_code(c.prov));
		c.origin := san.province_code(c.prov);
		c.prov := NULL;
	END IF;
	c.min_price := p_min;
	c.max_price := p_max;
	c.ocop := p_ocop;
	c.filter := concat(c.filter,	-- concat() skips the NULLs
	    CASE WHEN c.prov IS NOT NULL
		THEN ' AND p.province_fold = ($1).prov' END,
	    CASE WHEN c.origin IS NOT NULL
		THEN ' AND p.origin_province_code = ($1).origin' END,
	    CASE WHEN p_min IS NOT NULL
		THEN ' AND p.price_vnd >= ($1).min_price' END,
	    CASE WHEN p_max IS NOT NULL
		THEN ' AND p.price_vnd <= ($1).max_price' END,
	    CASE WHEN p_ocop IS NOT NULL
		THEN ' AND p.ocop_stars >= ($1).ocop' END);
	-- With the category fixed, ordering by it first is the same order,
	-- and one only its index gives.
	c.id_order := CASE WHEN c.cat1 IS NOT NULL
	    THEN ' ORDER BY p.category_id DESC, p.id DESC'
	    ELSE ' ORDER BY p.id DESC' END;

	IF c.q IS NOT NULL THEN
		c.qf := san.fold(c.q);
		c.pat := api.contains_pattern(c.q);
		c.lower := lower(c.q);
		c.exact := '%' || replace(replace(replace(c.lower, '\', '\\'),
		    '%', '\%'), '_', '\_') || '%';
		c.words := ARRAY(SELECT DISTINCT w
		    FROM regexp_split_to_table(c.qf, ' ') w ORDER BY w);
		c.wpats := ARRAY(SELECT api.contains_pattern(w)
		    FROM unnest(c.words) w);
	END IF;
	RETURN c;
END $$;

-- SQL: the folded name holds every word of the query (constant
-- fragments on ($1).wpats).
CREATE FUNCTION api.search_all_words(c api.search) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT string_agg('p.name_fold LIKE (($1).wpats)[' || i || ']',
	' AND ' ORDER BY i) FROM generate_subscripts(c.wpats, 1) i $$;

-- SQL: a relevance tier's own condition on p (for tier 0, $2 <=
-- word_similarity < $3, computed once), and a superset of it that a
-- trigram index finds (for tier 0 under word_similarity_threshold = $2).
CREATE FUNCTION api.search_tier_sql(c api.search, p_tier int,
    OUT match text, OUT cand text)
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	CASE p_tier
	WHEN 3 THEN
		match := 'p.name_fold LIKE ($1).pat AND'
		    ' strpos(lower(p.name), ($1).lower) > 0';
		cand := 'lower(p.name) LIKE ($1).exact';
	WHEN 2 THEN
		match := 'p.name_fold LIKE ($1).pat AND'
		    ' strpos(lower(p.name), ($1).lower) = 0';
		cand := 'p.name_fold LIKE ($1).pat';
	WHEN 1 THEN
		cand := api.search_all_words(c);
		match := cand || ' AND p.name_fold NOT LIKE ($1).pat';
	ELSE
		match := 'NOT (' || CASE WHEN cardinality(c.words) < 2
		    THEN 'p.name_fold LIKE ($1).pat'
		    ELSE api.search_all_words(c) END || ')'
		    ' AND word_similarity(($1).qf, p.name_fold)::numeric'
		    ' <@ numrange($2, $3)';
		cand := '($1).qf <% p.name_fold';
	END CASE;
END $$;

-- Up to p_n ids of one relevance level older than p_after (NULL: from
-- the newest), newest first.
CREATE FUNCTION api.search_level(c api.search, p_tier int, p_floor numeric,
    p_ceiling numeric, p_after bigint, p_n int) RETURNS bigint[]
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	t	record := api.search_tier_sql(c, p_tier);
	v_ids	bigint[] := '{}';
	v_part	bigint[];
	v_k	int := 50 * c.lim;	-- rows probed in id order
	v_seen	int;
	v_oldest bigint;
BEGIN
	-- The newest rows, in id order; a second window sized by the
	-- density the first one showed.
	FOR v_round IN 1 .. 2 LOOP
		EXECUTE 'SELECT array_agg(w.id ORDER BY w.id DESC)'
		    ' FILTER (WHERE w.m), count(*), min(w.id)'
		    ' FROM (SELECT p.id, (' || t.match || ') AS m'
		    ' FROM san.products p WHERE p.listed' || c.filter ||
		    CASE WHEN p_after IS NOT NULL THEN ' AND p.id < $4'
		    ELSE '' END || c.id_order || ' LIMIT $5) w'
		   INTO v_part, v_seen, v_oldest
		  USING c, p_floor, p_ceiling, p_after, v_k;
		v_part := COALESCE(v_part[1:p_n - cardinality(v_ids)], '{}');
		v_ids := v_ids || v_part;
		-- Page full, or every row of the level seen.
		IF cardinality(v_ids) = p_n OR v_seen < v_k THEN
			RETURN v_ids;
		END IF;
		p_after := v_oldest;
		EXIT WHEN cardinality(v_part) = 0;
		v_k := least(20000, ceil(2.0 * (p_n - cardinality(v_ids)) *
		    v_k / cardinality(v_part))::int);
	END LOOP;
	-- Sparse: the older candidates from a trigram index, all of them,
	-- then sorted.
	IF p_tier = 0 THEN
		PERFORM set_config('pg_trgm.word_similarity_threshold',
		    p_floor::text, true);
	END IF;
	EXECUTE 'WITH c AS MATERIALIZED (SELECT p.id, p.name, p.name_fold'
	    ' FROM san.products p WHERE p.listed AND ' || t.cand ||
	    ' AND p.id < $4' || c.filter || ')'
	    ' SELECT array_agg(s.id) FROM (SELECT p.id FROM c p'
	    ' WHERE ' || t.match || ' ORDER BY p.id DESC LIMIT $5) s'
	   INTO v_part
	  USING c, p_floor, p_ceiling, p_after, p_n - cardinality(v_ids);
	RETURN v_ids || COALESCE(v_part, '{}');
END $$;

-- Relevance: the levels in order from the cursor's, until the page is
-- full.
CREATE FUNCTION api.search_relevance(c api.search) RETURNS api.search_page
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	-- Levels: tier, band floor and ceiling of word_similarity.
	v_tiers		int[] := '{3, 2, 1, 0, 0}';
	v_floors	numeric[] := '{1, 1, 1, 0.8, 0.6}';
	v_ceilings	numeric[] := '{2, 2, 2, 2, 0.8}';
	v_from		int := 1;
	v_after		bigint;
	v_ids		bigint[] := '{}';
	v_part		bigint[];
	v_last		int;
BEGIN
	IF c.tier IS NOT NULL THEN
		v_from := CASE c.tier WHEN 0 THEN CASE WHEN c.after_sim >= 0.8
		    THEN 4 ELSE 5 END ELSE 4 - c.tier END;
		v_after := c.after_id;
	END IF;
	FOR i IN v_from .. 5 LOOP
		-- One word: tier 1 is tier 2.
		CONTINUE WHEN v_tiers[i] = 1 AND cardinality(c.words) < 2;
		v_part := api.search_level(c, v_tiers[i], v_floors[i],
		    v_ceilings[i], v_after, c.lim - cardinality(v_ids));
		IF cardinality(v_part) > 0 THEN
			v_ids := v_ids || v_part;
			v_last := i;
		END IF;
		EXIT WHEN cardinality(v_ids) = c.lim;
		v_after := NULL;
	END LOOP;
	RETURN (v_ids, CASE WHEN cardinality(v_ids) = c.lim THEN
	    'r:' || v_tiers[v_last] || ':' ||
	    to_char(v_floors[v_last], 'FM0.0000') || ':' || v_ids[c.lim]
	    END)::api.search_page;
END $$;

-- Newest, price_asc, price_desc: one query in the index's order.
CREATE FUNCTION api.search_sorted(c api.search) RETURNS api.search_page
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_filter	text := c.filter;
	v_order		text;
	v_sql		text;
	v_ids		bigint[];
	v_prices	bigint[];
BEGIN
	IF c.q IS NOT NULL THEN
		v_filter := v_filter || ' AND (p.name_fold LIKE ($1).pat'
		    ' OR ($1).qf <% p.name_fold)';
	END IF;
	IF c.after_id IS NOT NULL THEN
		v_filter := v_filter || CASE c.sort
		    WHEN 'newest' THEN ' AND p.id < ($1).after_id'
		    WHEN 'price_asc' THEN ' AND (p.price_vnd, p.id) >'
			' (($1).after_price, ($1).after_id)'
		    ELSE ' AND (p.price_vnd, p.id) <'
			' (($1).after_price, ($1).after_id)' END;
	END IF;
	v_order := ' ORDER BY' || CASE WHEN c.cat1 IS NOT NULL OR c.per_cat
	    THEN CASE c.sort WHEN 'price_asc' THEN ' p.category_id,'
		ELSE ' p.category_id DESC,' END
	    ELSE '' END || CASE c.sort
	    WHEN 'newest' THEN ' p.id DESC'
	    WHEN 'price_asc' THEN ' p.price_vnd, p.id'
	    ELSE ' p.price_vnd DESC, p.id DESC' END || ' LIMIT ($1).lim';
	IF c.per_cat THEN
		-- One branch per category of the subtree, each read in its
		-- index order (category i is (($1).cats)[i], a constant to
		-- the planner), then merged.
		SELECT 'SELECT p.id, p.price_vnd FROM (' || string_agg(
		    '(SELECT p.id, p.price_vnd FROM san.products p'
		    ' WHERE p.listed AND p.category_id = (($1).cats)[' || i ||
		    ']' || v_filter || v_order || ')', ' UNION ALL '
		    ORDER BY i) || ') p' || regexp_replace(v_order,
		    ' p\.category_id( DESC)?,', '')
		  INTO v_sql
		  FROM generate_subscripts(c.cats, 1) i;
	ELSE
		v_sql := 'SELECT p.id, p.price_vnd FROM san.products p'
		    ' WHERE p.listed' || v_filter || v_order;
	END IF;
	EXECUTE 'SELECT array_agg(s.id), array_agg(s.price_vnd) FROM (' ||
	    v_sql || ') s'
	   INTO v_ids, v_prices
	  USING c;
	v_ids := COALESCE(v_ids, '{}');
	RETURN (v_ids, CASE WHEN cardinality(v_ids) = c.lim THEN CASE c.sort
	    WHEN 'newest' THEN 'n:'
	    WHEN 'price_asc' THEN 'pa:' || v_prices[c.lim] || ':'
	    ELSE 'pd:' || v_prices[c.lim] || ':' END || v_ids[c.lim]
	    END)::api.search_page;
END $$;

CREATE FUNCTION api.product_search(p_q text, p_category int, p_store text,
    p_province text, p_min bigint, p_max bigint, p_ocop int, p_sort text,
    p_after text, p_limit int, p_origin text DEFAULT NULL)
RETURNS api.result
LANGUAGE plpgsql STABLE
SET pg_trgm.word_similarity_threshold = 0.6
SET enable_seqscan = off
AS $$
DECLARE
	c	api.search := api.search_context(p_q, p_category, p_store,
		    p_province, p_min, p_max, p_ocop, p_sort, p_after,
		    p_limit, p_origin);
	v_page	api.search_page := ('{}', NULL);
BEGIN
	IF c.err IS NOT NULL THEN
		RETURN api.err(400, c.err, c.err_field);
	ELSIF c.empty THEN
		NULL;
	ELSIF c.sort = 'relevance' THEN
		v_page := api.search_relevance(c);
	ELSE
		v_page := api.search_sorted(c);
	END IF;
	RETURN api.ok(200, json_build_object(
	    'items', COALESCE((SELECT json_agg(api.product_item_json(p, s)
		ORDER BY o.n)
		FROM unnest(v_page.ids) WITH ORDINALITY o(id, n)
		JOIN san.products p ON p.id = o.id
		JOIN san.stores s ON s.id = p.store_id), '[]'),
	    'next', v_page.next));
END $$;
