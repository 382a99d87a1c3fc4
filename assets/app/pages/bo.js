/*
 * Shared pieces of the back-office screens (merchant /kinh-doanh/,
 * official /can-bo/, admin /quan-tri/): select and textarea fields in the
 * style of ui.js's Field, a keyset-paged list, raw image upload.  Lazily
 * loaded with those screens (esbuild puts it in a shared chunk), never in
 * the public first load.
 */
import { useEffect, useState } from 'preact/hooks';
import { html } from '../ui.js';
import { get, qs, ApiError } from '../api.js';
import { lang } from '../i18n.js';

function describedBy(id, hint, err) {
	return [hint && id + '-hint', err && id + '-err'].filter(Boolean).join(' ') || undefined;
}

/* A labelled <select>; options [{value, label}]. */
export function Select({ id, label, hint, err, value, onInput, options, ...rest }) {
	return html`<div class=${'field' + (err ? ' has-error' : '')}>
		<label for=${id}>${label}</label>
		<select id=${id} name=${id} value=${value}
		    onChange=${(e) => onInput(e.currentTarget.value)}
		    aria-invalid=${err ? 'true' : undefined}
		    aria-describedby=${describedBy(id, hint, err)} ...${rest}>
			${options.map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
		</select>
		${hint && html`<p class="hint" id=${id + '-hint'}>${hint}</p>`}
		${err && html`<p class="field-error" id=${id + '-err'} data-field=${id}>${err}</p>`}
	</div>`;
}

export function TextArea({ id, label, hint, err, value, onInput, rows = 4, ...rest }) {
	return html`<div class=${'field' + (err ? ' has-error' : '')}>
		<label for=${id}>${label}</label>
		<textarea id=${id} name=${id} rows=${rows} value=${value}
		    onInput=${(e) => onInput(e.currentTarget.value)}
		    aria-invalid=${err ? 'true' : undefined}
		    aria-describedby=${describedBy(id, hint, err)} ...${rest}></textarea>
		${hint && html`<p class="hint" id=${id + '-hint'}>${hint}</p>`}
		${err && html`<p class="field-error" id=${id + '-err'} data-field=${id}>${err}</p>`}
	</div>`;
}

/*
 * A keyset-paged list: GET path + qs(params) then "more" with after=next.
 * Reloads when key changes.  Returns {items, next, loading, error, more, reload}.
 */
export function usePaged(path, params, key) {
	const [st, set] = useState({ items: [], next: null, loading: true, error: null });
	const [n, setN] = useState(0);
	useEffect(() => {
		let live = true;
		set((s) => ({ ...s, loading: true, error: null }));
		get(path + qs(params)).then(
		    (d) => live && set({ items: d.items, next: d.next, loading: false, error: null }),
		    (error) => live && set({ items: [], next: null, loading: false, error }));
		return () => { live = false; };
	}, [key, n, lang.get()]);
	async function more() {
		set((s) => ({ ...s, loading: true }));
		try {
			const d = await get(path + qs({ ...params, after: st.next }));
			set((s) => ({ items: s.items.concat(d.items), next: d.next, loading: false, error: null }));
		} catch (error) {
			set((s) => ({ ...s, loading: false, error }));
		}
	}
	return { ...st, more, reload: () => setN(n + 1) };
}

/* POST an image file as the raw body (the API judges it by content). */
export async function uploadImage(productId, file) {
	let res;
	try {
		res = await fetch('/api/v1/products/' + productId + '/images', {
			method: 'POST', credentials: 'same-origin', body: file,
			headers: { 'Content-Type': file.type || 'application/octet-stream',
			    'Accept': 'application/json',
			    'Accept-Language': lang.get() === 'en' ? 'en' : 'vi' },
		});
	} catch (e) {
		throw new ApiError(0, 'network', null, null);
	}
	let data = null;
	try { data = await res.json(); } catch (e) { /* not JSON */ }
	if (!res.ok) {
		const er = (data && data.error) || {};
		throw new ApiError(res.status, er.code || 'http_' + res.status, er.message || null, er.field);
	}
	return data;
}

/* Only the members of an update body that differ from the loaded row. */
export function changed(values, row) {
	const out = {};
	for (const [k, v] of Object.entries(values)) {
		const was = row[k] === null || row[k] === undefined ? '' : String(row[k]);
		if (String(v) !== was)
			out[k] = v;
	}
	return out;
}

/* "" → absent; digits → number (the API names a bad value by its field). */
export function num(v) {
	const s = String(v).trim();
	return s === '' ? undefined : /^-?\d+$/.test(s) ? Number(s) : s;
}
