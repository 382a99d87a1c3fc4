/*
 * Suggestions for province and ward fields: the administrative units
 * since 1 July 2025 (GET /api/v1/provinces, /provinces/{code}/wards;
 * public, cached by the browser).  Fields stay free text (the API accepts
 * a code or an exact current or former name and answers with its own
 * message by the field); the lists are <datalist>s they point to.
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { get } from './api.js';

const cache = new Map();

function load(path) {
	if (!cache.has(path))
		cache.set(path, get(path).catch(() => { cache.delete(path); return null; }));
	return cache.get(path);
}

/* Folded like the server's san.fold: no diacritics, lower case. */
const fold = (s) => (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().trim();

/* The province code the text names (code, name, official or former name). */
export function provinceCode(list, text) {
	const f = fold(text);
	if (!list || !f)
		return null;
	const p = list.find((x) => x.code === f.padStart(2, '0') ||
	    fold(x.name) === f || fold(x.full_name) === f) ||
	    list.find((x) => (x.former || []).some((o) => fold(o.name) === f));
	return p ? p.code : null;
}

/*
 * usePlaces(provinceText): {provinces, wards} (arrays, empty until
 * loaded); wards are those of the province the text names.
 */
export function usePlaces(provinceText) {
	const [provinces, setProvinces] = useState([]);
	const [wards, setWards] = useState([]);
	useEffect(() => {
		let live = true;
		load('/provinces').then((d) => { if (live && d) setProvinces(d.items); });
		return () => { live = false; };
	}, []);
	const code = provinceCode(provinces, provinceText);
	useEffect(() => {
		let live = true;
		if (!code) {
			setWards([]);
			return undefined;
		}
		load('/provinces/' + code + '/wards').then((d) => { if (live && d) setWards(d.items); });
		return () => { live = false; };
	}, [code]);
	return { provinces, wards };
}

/* The two datalists, ids prefix + '-provinces' and prefix + '-wards'. */
export function PlaceLists({ prefix, provinces, wards }) {
	return html`<datalist id=${prefix + '-provinces'}>
			${provinces.map((p) => html`<option key=${p.code} value=${p.name} />`)}
		</datalist>
		<datalist id=${prefix + '-wards'}>
			${wards.map((w) => html`<option key=${w.code} value=${w.name} />`)}
		</datalist>`;
}
