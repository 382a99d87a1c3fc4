/*
 * Merchant: the businesses of the signed-in account with their status and
 * the department's decisions, business registration (tax code checked as
 * typed), edit and resubmit, open a store.  Routes in routes.js.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Field, FormError, useForm } from '../../ui.js';
import { api } from '../../api.js';
import { t, formatDate, formatDateTime } from '../../i18n.js';
import { navigate } from '../../router.js';
import { refreshMe } from '../../session.js';
import { me, useValue } from '../../state.js';
import { Select, TextArea, changed } from '../bo.js';
import '../bo-strings.js';
import { usePlaces, PlaceLists } from '../../places.js';

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/* The tax code's check digit, as src/validate.c checks it: true, false, or null (incomplete). */
export function taxCodeOk(s) {
	if (!/^\d{10}(-\d{3})?$/.test(s))
		return /^\d{0,10}(-\d{0,3})?$/.test(s) && !/^\d{10}-\d{3}$/.test(s) ? null : false;
	let sum = 0;
	for (let i = 0; i < 9; i++)
		sum += WEIGHTS[i] * Number(s[i]);
	const check = 10 - sum % 11;
	return check !== 10 && Number(s[9]) === check && s.slice(11) !== '000';
}

export function BizStatus({ status }) {
	return html`<span class=${'status bstatus-' + status}>${t('bstatus.' + status)}</span>`;
}

export function History({ items }) {
	return html`<ol class="history">${items.map((h, i) => html`<li key=${i}>
		<time datetime=${h.at}>${formatDateTime(h.at)}</time>
		${t('baction.' + h.action)} → <${BizStatus} status=${h.to_status} />
		${h.reason && html`<span> — ${t('bo.reason')}: ${h.reason}</span>`}
	</li>`)}</ol>`;
}

/* The last decision's reason when the business is rejected or suspended. */
function lastReason(b) {
	const h = (b.history || []).filter((x) => x.reason);
	return (b.status === 'rejected' || b.status === 'suspended') && h.length ? h[h.length - 1].reason : null;
}

export default function MerchantHome() {
	useTitle(t('biz.title'));
	const st = useGet('/businesses');
	const m = useValue(me);
	const stores = (id) => ((m && m.businesses.find((b) => b.id === id)) || {}).stores || [];
	return html`<h1 tabindex="-1">${t('biz.title')}</h1>
		<p class="muted">${t('biz.intro')}</p>
		<p><a class="btn btn-primary" href="/kinh-doanh/dang-ky">${t('biz.register')}</a></p>
		<h2>${t('biz.mine')}</h2>
		<${Async} state=${st}>${(d) => d.items.length === 0 ? html`<p>${t('biz.none')}</p>`
		    : html`<ul class="lines">${d.items.map((b) => html`<li key=${b.id} class="line biz">
			<div class="line-main">
				<a href=${'/kinh-doanh/doanh-nghiep/' + b.id}>${b.name}</a>
				<span class="muted">${t('biz.tax_code')} ${b.tax_code}</span>
				${lastReason(b) && html`<span class="problem">${t('bo.reason')}: ${lastReason(b)}</span>`}
				${stores(b.id).map((s) => html`<span key=${s.slug}>${t('biz.stores')}:
				    <a href=${'/kinh-doanh/cua-hang/' + s.slug}>${s.name}</a>
				    ${s.status === 'hidden' && html` <span class="muted">(${t('store.status.hidden')})</span>`}</span>`)}
			</div>
			<${BizStatus} status=${b.status} />
			${b.status === 'verified' && stores(b.id).length === 0 && html`<a class="btn btn-small btn-primary"
			    href=${'/kinh-doanh/doanh-nghiep/' + b.id + '/mo-cua-hang'}>${t('biz.open_store')}</a>`}
		</li>`)}</ul>`}<//>`;
}

const FIELDS = ['tax_code', 'name', 'kind', 'registration_no', 'registration_date',
    'registration_issuer', 'address', 'province', 'ward', 'representative', 'phone', 'email'];
const KINDS = ['enterprise', 'cooperative', 'household', 'production_facility'];

function kindLabel(k) {
	return k === 'production_facility' ? t('biz.kind.production_facility') : t('seller.kind.' + k);
}

/* The registration form; row: the business being edited (else a new one). */
function BusinessForm({ row, onSaved }) {
	const init = {};
	FIELDS.forEach((k) => { init[k] = row ? (row[k] ?? '') : ''; });
	if (!row) {
		init.kind = 'household';
		init.province = 'Tây Ninh';
	}
	const f = useForm(init);
	const places = usePlaces(f.values.province);
	const tc = f.values.tax_code.trim();
	const tcOk = tc === '' ? null : taxCodeOk(tc);
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = {};
			FIELDS.forEach((k) => { body[k] = String(v[k]).trim(); });
			const saved = row ? await api('PATCH', '/businesses/' + row.id, changed(body, row))
			    : await api('POST', '/businesses', body);
			await refreshMe();
			onSaved(saved);
		}, 'bz-');
	}
	const fld = (k, props = {}) => html`<${Field} id=${'bz-' + k} label=${t('biz.' + k)}
	    value=${f.values[k]} onInput=${f.set(k)} err=${f.errors['bz-' + k]} ...${props} />`;
	const tcErr = f.errors['bz-tax_code'] || (tcOk === false ? t('biz.tax_code.bad') : null);
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow">
		<${FormError} msg=${f.errors._} />
		<${Field} id="bz-tax_code" label=${t('biz.tax_code')} inputmode="numeric" autocomplete="off"
		    hint=${tcOk === true ? t('biz.tax_code.ok') : t('biz.tax_code.hint')}
		    value=${f.values.tax_code} onInput=${f.set('tax_code')} err=${tcErr} required />
		${fld('name', { required: true, autocomplete: 'organization' })}
		<${Select} id="bz-kind" label=${t('biz.kind')} value=${f.values.kind} onInput=${f.set('kind')}
		    err=${f.errors['bz-kind']} options=${KINDS.map((k) => ({ value: k, label: kindLabel(k) }))} />
		${fld('registration_no', { required: true })}
		${fld('registration_date', { type: 'date', required: true })}
		${fld('registration_issuer', { required: true })}
		${fld('representative', { required: true, autocomplete: 'name' })}
		${fld('address', { required: true, autocomplete: 'street-address' })}
		${fld('province', { required: true, list: 'bz-provinces', autocomplete: 'off' })}
		${fld('ward', { required: true, list: 'bz-wards', autocomplete: 'off' })}
		<${PlaceLists} prefix="bz" ...${places} />
		${fld('phone', { type: 'tel', required: true, autocomplete: 'tel' })}
		${fld('email', { type: 'email', required: true, autocomplete: 'email' })}
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>
			${row ? t('biz.edit.submit') : t('biz.register.submit')}</button>
	</form>`;
}

export function BusinessNew() {
	useTitle(t('biz.register.title'));
	return html`<h1 tabindex="-1">${t('biz.register.title')}</h1>
		<${BusinessForm} onSaved=${(b) => navigate('/kinh-doanh/doanh-nghiep/' + b.id)} />`;
}

function BusinessView({ b, reload }) {
	useTitle(b.name);
	const m = useValue(me);
	const [editing, setEditing] = useState(false);
	const mine = (m && m.businesses.find((x) => x.id === b.id)) || {};
	const stores = mine.stores || [];
	return html`<h1 tabindex="-1">${b.name}</h1>
		<p><${BizStatus} status=${b.status} /> <span class="muted">${t('biz.tax_code')} ${b.tax_code}</span></p>
		${lastReason(b) && html`<p class="alert alert-error">${t('bo.reason')}: ${lastReason(b)}</p>`}
		<div class="actions">
			${b.status === 'verified' && stores.length === 0 && html`<a class="btn btn-primary"
			    href=${'/kinh-doanh/doanh-nghiep/' + b.id + '/mo-cua-hang'}>${t('biz.open_store')}</a>`}
			${stores.map((s) => html`<a key=${s.slug} class="btn" href=${'/kinh-doanh/cua-hang/' + s.slug}>${t('biz.manage')}: ${s.name}</a>`)}
			${mine.member_role && html`<a class="btn" href=${'/kinh-doanh/doanh-nghiep/' + b.id + '/giay-phep'}>${t('biz.licences')}</a>`}
			${!editing && mine.member_role === 'owner' && html`<button type="button" class="btn"
			    onClick=${() => setEditing(true)}>${b.status === 'rejected' ? t('biz.edit.title') : t('bo.edit')}</button>`}
		</div>
		${editing ? html`<section aria-labelledby="h-edit">
			<h2 id="h-edit">${t('biz.edit.title')}</h2>
			${b.status === 'verified' && html`<p class="muted">${t('biz.edit.note')}</p>`}
			<${BusinessForm} row=${b} onSaved=${() => { setEditing(false); reload(); }} />
		</section>` : html`<section aria-labelledby="h-det">
			<h2 id="h-det">${t('biz.detail')}</h2>
			<dl class="facts">${FIELDS.map((k) => html`<div key=${k}><dt>${t('biz.' + k)}</dt><dd>${
			    k === 'kind' ? kindLabel(b.kind) : k === 'registration_date' && b[k] ? formatDate(b[k]) : b[k]}</dd></div>`)}</dl>
		</section>`}
		<section aria-labelledby="h-hist">
			<h2 id="h-hist">${t('bo.history')}</h2>
			<${History} items=${b.history || []} />
		</section>`;
}

export function BusinessDetail({ params }) {
	const st = useGet('/businesses/' + (/^\d{1,18}$/.test(params.id) ? params.id : '0'));
	return html`<${Async} state=${st}>${(b) => html`<${BusinessView} b=${b} reload=${st.reload} />`}<//>`;
}

/* Open a store for a verified business. */
export function StoreNew({ params }) {
	useTitle(t('store.new.title'));
	const biz = useGet('/businesses/' + (/^\d{1,18}$/.test(params.id) ? params.id : '0'));
	const f = useForm({ name: '', slug: '', description: '', phone: '', email: '', pickup_address: '', province: '', ward: '' });
	const places = usePlaces(f.values.province || (biz.data && biz.data.province));
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = { business_id: Number(params.id) };
			for (const [k, x] of Object.entries(v))
				if (String(x).trim() !== '')
					body[k] = String(x).trim();
			const s = await api('POST', '/stores', body);
			await refreshMe();
			navigate('/kinh-doanh/cua-hang/' + s.slug);
		}, 'st-');
	}
	const fld = (k, props = {}) => html`<${Field} id=${'st-' + k} label=${t('store.' + k)}
	    value=${f.values[k]} onInput=${f.set(k)} err=${f.errors['st-' + k]} ...${props} />`;
	return html`<h1 tabindex="-1">${t('store.new.title')}</h1>
		<${Async} state=${biz}>${(b) => html`<p class="muted">${b.name} · <${BizStatus} status=${b.status} /></p>
		<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow">
			<${FormError} msg=${f.errors._} />
			${fld('name', { required: true })}
			${fld('slug', { hint: t('store.slug.hint'), autocomplete: 'off' })}
			<${TextArea} id="st-description" label=${t('store.description')} value=${f.values.description}
			    onInput=${f.set('description')} err=${f.errors['st-description']} />
			${fld('phone', { type: 'tel', required: true })}
			${fld('email', { type: 'email', required: true })}
			${fld('pickup_address', { required: true })}
			${fld('province', { list: 'st-provinces', autocomplete: 'off', hint: t('store.place.hint') })}
			${fld('ward', { list: 'st-wards', autocomplete: 'off', hint: t('store.place.hint') })}
			<${PlaceLists} prefix="st" ...${places} />
			<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('store.new.submit')}</button>
		</form>`}<//>`;
}
