/*
 * Admin: the category tree with its policies (create, edit) and the
 * accounts with their official/admin roles (search, grant, revoke;
 * audited by the API).
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Field, FormError, useForm, ErrorBox, Loading } from '../../ui.js';
import { api } from '../../api.js';
import { t, localName } from '../../i18n.js';
import { Select, changed, num, usePaged } from '../bo.js';
import '../bo-strings.js';
import './strings.js';

const POLICIES = ['normal', 'conditional', 'prohibited'];
const KEYS = ['parent_id', 'slug', 'name_vi', 'name_en', 'policy', 'licence_hint', 'position'];

export function AdminNav() {
	return html`<nav class="subnav" aria-label=${t('adm.nav')}><ul>
		<li><a href="/quan-tri/danh-muc">${t('adm.categories')}</a></li>
		<li><a href="/quan-tri/tai-khoan">${t('adm.roles')}</a></li>
		<li><a href="/quan-tri/thanh-toan">${t('adm.pay')}</a></li>
	</ul></nav>`;
}

/* The tree in display order with each row's depth. */
function ordered(items) {
	const out = [];
	const walk = (parent, depth) => items.filter((c) => c.parent_id === parent)
	    .sort((a, b) => a.position - b.position || a.id - b.id)
	    .forEach((c) => { out.push({ ...c, depth }); walk(c.id, depth + 1); });
	walk(null, 0);
	return out;
}

function CategoryForm({ row, items, onDone }) {
	const init = {};
	KEYS.forEach((k) => { init[k] = row && row[k] !== null && row[k] !== undefined ? String(row[k]) : ''; });
	if (!row)
		init.policy = 'normal';
	const f = useForm(init);
	const p = row ? 'ce-' : 'cn-';
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = {};
			for (const k of KEYS) {
				const x = k === 'parent_id' || k === 'position' ? num(v[k]) : v[k].trim();
				if (x !== undefined && x !== '')
					body[k] = x;
			}
			if (row)
				await api('PATCH', '/admin/categories/' + row.id, changed(body, row));
			else
				await api('POST', '/admin/categories', body);
			onDone();
		}, p);
	}
	const fld = (k, props = {}) => html`<${Field} id=${p + k} label=${t('adm.cat.' + k)}
	    value=${f.values[k]} onInput=${f.set(k)} err=${f.errors[p + k]} ...${props} />`;
	const parents = [{ value: '', label: t('adm.cat.root') }].concat(ordered(items)
	    .filter((c) => !row || c.id !== row.id)
	    .map((c) => ({ value: String(c.id), label: '\u00a0\u00a0'.repeat(c.depth) + localName(c) })));
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow">
		<${FormError} msg=${f.errors._} />
		<${Select} id=${p + 'parent_id'} label=${t('adm.cat.parent')} value=${f.values.parent_id}
		    onInput=${f.set('parent_id')} err=${f.errors[p + 'parent_id']} options=${parents} />
		${fld('name_vi', { required: true })}
		${fld('name_en', { required: true })}
		${fld('slug', { required: true, autocomplete: 'off' })}
		<${Select} id=${p + 'policy'} label=${t('adm.cat.policy')} value=${f.values.policy} onInput=${f.set('policy')}
		    err=${f.errors[p + 'policy']} options=${POLICIES.map((x) => ({ value: x, label: t('policy.' + x) }))} />
		${fld('licence_hint')}
		${fld('position', { inputmode: 'numeric' })}
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('bo.save')}</button>
	</form>`;
}

export default function Categories() {
	useTitle(t('adm.categories'));
	const st = useGet('/admin/categories');
	const [editing, setEditing] = useState(null);
	const [n, setN] = useState(0);
	const done = () => { setEditing(null); setN(n + 1); st.reload(); };
	return html`<h1 tabindex="-1">${t('adm.categories')}</h1>
		<${AdminNav} />
		<${Async} state=${st}>${(d) => html`<div class="table-wrap"><table class="table">
			<thead><tr><th scope="col">${t('prod.category')}</th><th scope="col">${t('adm.cat.policy')}</th>
			    <th scope="col" class="right">${t('adm.cat.count')}</th><th scope="col"><span class="sr-only">${t('bo.edit')}</span></th></tr></thead>
			<tbody>${ordered(d.items).map((c) => html`<tr key=${c.id}>
				<td><span class=${'depth-' + Math.min(c.depth, 3)}>${localName(c)}</span> <span class="muted">${c.slug}</span></td>
				<td>${t('policy.' + c.policy)}</td>
				<td class="right">${c.product_count}</td>
				<td><button type="button" class="btn btn-small" aria-label=${t('adm.cat.edit', { name: localName(c) })}
				    onClick=${() => setEditing(c)}>${t('bo.edit')}</button></td>
			</tr>`)}</tbody>
		</table></div>
		${editing && html`<section aria-labelledby="h-ce">
			<h2 id="h-ce">${t('adm.cat.edit', { name: localName(editing) })}</h2>
			<${CategoryForm} key=${'e' + editing.id} row=${editing} items=${d.items} onDone=${done} />
			<button type="button" class="btn" onClick=${() => setEditing(null)}>${t('common.back')}</button>
		</section>`}
		<section aria-labelledby="h-cn">
			<h2 id="h-cn">${t('adm.cat.new')}</h2>
			<${CategoryForm} key=${'n' + n} items=${d.items} onDone=${done} />
		</section>`}<//>`;
}

/*
 * Accounts (GET /admin/accounts: keyset "Xem thêm", prefix search on
 * e-mail and name) with their roles; each row grants or revokes official
 * and admin (POST /admin/accounts/{id}/roles, audited by the API).
 */
export function Roles({ query }) {
	useTitle(t('adm.roles'));
	const [q, setQ] = useState(query.get('q') || '');
	const [applied, setApplied] = useState(q.trim());
	const list = usePaged('/admin/accounts', { q: applied || undefined, limit: 50 }, applied);
	const [changedRows, setChangedRows] = useState({});
	const [msg, setMsg] = useState(null);
	const [err, setErr] = useState(null);
	function onSearch(e) {
		e.preventDefault();
		setChangedRows({});
		setApplied(q.trim());
	}
	async function change(a, role, action) {
		setMsg(null);
		setErr(null);
		try {
			const r = await api('POST', '/admin/accounts/' + a.id + '/roles', { role, action });
			setChangedRows((m) => ({ ...m, [a.id]: r.roles }));
			setMsg(t('adm.acc.done', { email: r.email, roles: r.roles.map((x) => t('role.' + x)).join(', ') }));
		} catch (ex) {
			setErr(ex);
		}
	}
	return html`<h1 tabindex="-1">${t('adm.roles')}</h1>
		<${AdminNav} />
		<p class="muted">${t('adm.acc.intro')}</p>
		<form class="search-inline" role="search" onSubmit=${onSearch}>
			<${Field} id="acc-q" label=${t('adm.acc.q')} type="search" value=${q} onInput=${setQ} autocomplete="off" />
			<button type="submit" class="btn">${t('adm.acc.search')}</button>
		</form>
		<p role="status" class="ok">${msg}</p>
		<${ErrorBox} error=${err} />
		${list.error ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
		    : !list.loading && list.items.length === 0 ? html`<p>${t('adm.acc.none')}</p>`
		    : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${t('adm.roles')}><table class="table accounts">
			<thead><tr><th scope="col">${t('adm.acc.id')}</th><th scope="col">${t('adm.acc.email')}</th>
			    <th scope="col">${t('adm.acc.name')}</th><th scope="col">${t('adm.acc.roles')}</th>
			    <th scope="col">${t('adm.acc.status')}</th><th scope="col">${t('adm.acc.actions')}</th></tr></thead>
			<tbody>${list.items.map((a) => {
				const roles = changedRows[a.id] || a.roles;
				return html`<tr key=${a.id}>
				<td>${a.id}</td><td class="wrap">${a.email}</td><td>${a.full_name}</td>
				<td>${roles.map((r) => t('role.' + r)).join(', ')}</td>
				<td>${t('adm.acc.status.' + a.status)}</td>
				<td class="row-actions">${['official', 'admin'].map((r) => {
					const has = roles.includes(r);
					const action = has ? 'revoke' : 'grant';
					return html`<button type="button" class="btn btn-small" key=${r}
					    aria-label=${t('adm.acc.' + action + '.label', { role: t('role.' + r), email: a.email })}
					    onClick=${() => change(a, r, action)}>${t('adm.acc.' + action, { role: t('role.' + r) })}</button>`;
				})}</td></tr>`;
			})}</tbody>
		</table></div>`}
		${list.loading && html`<${Loading} />`}
		${list.next && !list.loading && html`<p><button type="button" class="btn" onClick=${list.more}>${t('adm.acc.more')}</button></p>`}`;
}
