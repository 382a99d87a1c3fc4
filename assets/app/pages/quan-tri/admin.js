/*
 * Admin: the category tree with its policies (create, edit) and the
 * official/admin roles of an account (grant, revoke; audited by the API).
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Field, FormError, useForm } from '../../ui.js';
import { api } from '../../api.js';
import { t, localName } from '../../i18n.js';
import { Select, changed, num } from '../bo.js';
import '../bo-strings.js';

const POLICIES = ['normal', 'conditional', 'prohibited'];
const KEYS = ['parent_id', 'slug', 'name_vi', 'name_en', 'policy', 'licence_hint', 'position'];

function AdminNav() {
	return html`<nav class="subnav" aria-label=${t('adm.nav')}><ul>
		<li><a href="/quan-tri/danh-muc">${t('adm.categories')}</a></li>
		<li><a href="/quan-tri/tai-khoan">${t('adm.roles')}</a></li>
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

export function Roles() {
	useTitle(t('adm.roles'));
	const f = useForm({ id: '', role: 'official', action: 'grant' });
	const [res, setRes] = useState(null);
	function onSubmit(e) {
		e.preventDefault();
		setRes(null);
		f.submit(async (v) => {
			const id = /^\d{1,18}$/.test(v.id.trim()) ? v.id.trim() : '0';
			setRes(await api('POST', '/admin/accounts/' + id + '/roles', { role: v.role, action: v.action }));
		}, { role: 'ar-role', action: 'ar-action' });
	}
	return html`<h1 tabindex="-1">${t('adm.roles')}</h1>
		<${AdminNav} />
		<p class="muted">${t('adm.roles.intro')}</p>
		<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow">
			<${FormError} msg=${f.errors._} />
			${res && html`<p class="alert alert-ok" role="status">${t('adm.roles.result', { id: res.id, email: res.email,
			    roles: res.roles.map((r) => t('role.' + r)).join(', ') })}</p>`}
			<${Field} id="ar-id" label=${t('adm.roles.account')} inputmode="numeric" value=${f.values.id}
			    onInput=${f.set('id')} err=${f.errors['ar-id']} required />
			<${Select} id="ar-role" label=${t('adm.roles.role')} value=${f.values.role} onInput=${f.set('role')}
			    err=${f.errors['ar-role']} options=${['official', 'admin'].map((r) => ({ value: r, label: t('role.' + r) }))} />
			<${Select} id="ar-action" label=${t('adm.roles.action')} value=${f.values.action} onInput=${f.set('action')}
			    err=${f.errors['ar-action']} options=${['grant', 'revoke'].map((a) => ({ value: a, label: t('adm.roles.' + a) }))} />
			<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('adm.roles.submit')}</button>
		</form>`;
}
