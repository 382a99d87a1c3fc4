/*
 * The one way the app talks to San: same-origin fetch with the session
 * cookie (HttpOnly, set by POST /api/v1/auth/login; never read or stored
 * here).  Unsafe requests carry JSON and the browser's Origin header,
 * which the API checks.  Errors come back as ApiError with the API's
 * {code, message, field}; the message is already in the user's language
 * (Accept-Language).
 */
import { lang } from './i18n.js';

export class ApiError extends Error {
	constructor(status, code, message, field, details) {
		super(message);
		this.status = status;
		this.code = code;
		this.field = field || null;
		this.details = details || null;
	}
}

export async function api(method, path, body, headers) {
	const h = { 'Accept': 'application/json',
	    'Accept-Language': lang.get() === 'en' ? 'en' : 'vi', ...headers };
	const init = { method, headers: h, credentials: 'same-origin' };
	if (body !== undefined) {
		h['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body);
	}
	let res;
	try {
		res = await fetch('/api/v1' + path, init);
	} catch (e) {
		throw new ApiError(0, 'network', null, null);
	}
	if (res.status === 204)
		return null;
	let data = null;
	try {
		data = await res.json();
	} catch (e) { /* not JSON */ }
	if (!res.ok) {
		const er = (data && data.error) || {};
		throw new ApiError(res.status, er.code || 'http_' + res.status,
		    er.message || null, er.field, er.details);
	}
	return data;
}

export const get = (path) => api('GET', path);

/* A query string from an object, skipping empty values. */
export function qs(params) {
	const u = new URLSearchParams();
	for (const [k, v] of Object.entries(params))
		if (v !== undefined && v !== null && v !== '')
			u.set(k, v);
	const s = u.toString();
	return s ? '?' + s : '';
}
