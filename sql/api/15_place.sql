-- Administrative units (sql/015_admin_units.sql): the public lists forms
-- use, and the one resolution of a {province, ward} the API accepts.

/*
 * GET /api/v1/provinces: the 34 provinces by code, each with the former
 * provinces that became part of it.  Public, the same for everyone.
 */
CREATE FUNCTION api.province_list() RETURNS api.result
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN api.ok(200, json_build_object('items', (SELECT json_agg(
	    json_build_object('code', v.code, 'name', v.name,
		'full_name', v.full_name,
		'wards', (SELECT count(*) FROM san.wards w
		    WHERE w.province_code = v.code),
		'former', (SELECT json_agg(json_build_object('code', f.code,
			'name', f.name) ORDER BY f.code)
		    FROM san.former_provinces f
		    WHERE f.province_code = v.code))
	    ORDER BY v.code) FROM san.provinces v)));
END $$;

/*
 * GET /api/v1/provinces/{code}/wards: the wards and communes of one
 * province by code (path: its code as a number, 8 or 08).  404 when no
 * province has the code.
 */
CREATE FUNCTION api.province_wards(p_code bigint) RETURNS api.result
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_p	san.provinces;
BEGIN
	SELECT * INTO v_p FROM san.provinces
	 WHERE p_code BETWEEN 1 AND 99 AND code = lpad(p_code::text, 2, '0');
	IF NOT FOUND THEN
		RETURN api.err(404, 'province_not_found');
	END IF;
	RETURN api.ok(200, json_build_object(
	    'province', json_build_object('code', v_p.code, 'name', v_p.name),
	    'items', COALESCE((SELECT json_agg(json_build_object(
		'code', w.code, 'name', w.name) ORDER BY w.code)
		FROM san.wards w WHERE w.province_code = v_p.code), '[]')));
END $$;

/*
 * The place p_obj gives ({province, ward, ...}: each a code or an exact
 * current or former name, see san.province_code and san.ward_code):
 * p_obj with province and ward made the current names and province_code
 * and ward_code added (place); or error ('unknown_province' or
 * 'unknown_ward') and field (p_path || the member) for the first unknown.
 */
CREATE FUNCTION api.place_resolve(p_obj jsonb, p_path text,
    OUT place jsonb, OUT error text, OUT field text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	v_given	text := api.txt(p_obj, 'province');
	v_p	text := san.province_code(v_given);
	v_w	text := san.ward_code(v_p, v_given, api.txt(p_obj, 'ward'));
BEGIN
	IF v_p IS NULL THEN
		error := 'unknown_province';
		field := p_path || 'province';
	ELSIF v_w IS NULL THEN
		error := 'unknown_ward';
		field := p_path || 'ward';
	ELSE
		place := p_obj || jsonb_build_object(
		    'province_code', v_p, 'ward_code', v_w,
		    'province', (SELECT name FROM san.provinces
			WHERE code = v_p),
		    'ward', (SELECT name FROM san.wards WHERE code = v_w));
	END IF;
END $$;
