/*
 * Merchant: one store — its details (edit, hide/show), shipping methods;
 * the store's sub-navigation shared with products.js and orders.js.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Field, FormError, useForm } from '../../ui.js';
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { refreshMe } from '../../session.js';
import { me, useValue } from '../../state.js';
import { location } from '../../router.js';
import { Select, TextArea, changed, num } from '../bo.js';
import '../bo-strings.js';
import { usePlaces, PlaceLists } from '../../places.js';

export const slugOk = (s) => /^[a-z0-9-]{1,63}$/.test(s);

/* The store as its member knows it from GET /me (works while it is hidden). */
export function useMyStore(slug) {
	const m = useValue(me);
	for (const b of (m && m.businesses) || [])
		for (const s of b.stores || [])
			if (s.slug === slug)
				return { ...s, business: b };
	return null;
}

export function StoreNav({ slug, name }) {
	const here = useValue(location).path;
	const base = '/kinh-doanh/cua-hang/' + slug;
	const items = [['', 'home'], ['/san-pham', 'products'], ['/van-chuyen', 'shipping'], ['/don-hang', 'orders']];
	return html`<nav class="subnav" aria-label=${t('store.nav')}>
		<p class="muted">${name}</p>
		<ul>${items.map(([p, k]) => html`<li key=${k}><a href=${base + p}
		    aria-current=${here === base + p ? 'page' : undefined}>${t('store.nav.' + k)}</a></li>`)}</ul>
	</nav>`;
}

const STORE_FIELDS = ['name', 'description', 'phone', 'email', 'pickup_address', 'province', 'ward', 'status'];

function StoreForm({ row, slug, onSaved }) {
	const init = {};
	STORE_FIELDS.forEach((k) => { init[k] = row[k] ?? ''; });
	const f = useForm(init);
	const [ok, setOk] = useState(false);
	const places = usePlaces(f.values.province);
	function onSubmit(e) {
		e.preventDefault();
		setOk(false);
		f.submit(async (v) => {
			const body = {};
			STORE_FIELDS.forEach((k) => { body[k] = String(v[k]).trim(); });
			const diff = changed(body, row);
			if (Object.keys(diff).length) {
				const s = await api('PATCH', '/stores/' + slug, diff);
				onSaved(s);
				await refreshMe();
			}
			setOk(true);
		}, 'sf-');
	}
	const fld = (k, props = {}) => html`<${Field} id=${'sf-' + k} label=${t('store.' + k)}
	    value=${f.values[k]} onInput=${f.set(k)} err=${f.errors['sf-' + k]} ...${props} />`;
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow">
		<${FormError} msg=${f.errors._} />
		${ok && html`<p class="alert alert-ok" role="status">${t('bo.saved')}</p>`}
		${fld('name', { required: true })}
		<${TextArea} id="sf-description" label=${t('store.description')} value=${f.values.description}
		    onInput=${f.set('description')} err=${f.errors['sf-description']} />
		${fld('phone', { type: 'tel', required: true })}
		${fld('email', { type: 'email', required: true })}
		${fld('pickup_address', { required: true })}
		${fld('province', { list: 'sf-provinces', autocomplete: 'off' })}
		${fld('ward', { list: 'sf-wards', autocomplete: 'off' })}
		<${PlaceLists} prefix="sf" ...${places} />
		<${Select} id="sf-status" label=${t('bo.status')} value=${f.values.status} onInput=${f.set('status')}
		    err=${f.errors['sf-status']} options=${['active', 'hidden'].map((s) => ({ value: s, label: t('store.status.' + s) }))} />
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('bo.save')}</button>
	</form>`;
}

export default function StoreHome({ params }) {
	const slug = slugOk(params.slug) ? params.slug : 'x--';
	const mine = useMyStore(slug);
	/* The public view has the details; a hidden store answers 404 there. */
	const st = useGet('/stores/' + slug);
	const [saved, setSaved] = useState(null);
	useTitle(mine ? mine.name : t('store.info'));
	const row = saved || st.data || (mine && st.error ? { name: mine.name, status: mine.status } : null);
	if (!mine && !st.loading && !row)
		return html`<${Async} state=${st}>${() => null}<//>`;
	return html`<h1 tabindex="-1">${(row && row.name) || (mine && mine.name) || ''}</h1>
		<${StoreNav} slug=${slug} name=${mine ? mine.business.name : ''} />
		<div class="actions">
			<a class="btn" href=${'/cua-hang/' + slug}>${t('store.view')}</a>
			<a class="btn" href=${'/api/v1/stores/' + slug + '/invoices.csv'} download>${t('store.invoices')}</a>
		</div>
		<h2>${t('store.info')}</h2>
		${row ? html`<${StoreForm} key=${row.name + row.status} row=${{ status: 'active', ...row }}
		    slug=${slug} onSaved=${setSaved} />` : html`<${Async} state=${st}>${() => null}<//>`}`;
}

/* ---- shipping methods ---- */

const CARRIERS = ['own', 'vnpost', 'viettelpost', 'ghn', 'ghtk', 'jnt'];

function toForm(m) {
	return { carrier: m.carrier, name: m.name, fee_rule: m.fee_rule,
	    fee_vnd: String(m.fee_vnd ?? ''), free_over_vnd: m.free_over_vnd ? String(m.free_over_vnd) : '',
	    tiers: (m.weight_tiers || []).map((w) => ({ up_to_g: String(w.up_to_g), fee_vnd: String(w.fee_vnd) })) };
}

function toBody(m) {
	const o = { carrier: m.carrier, name: m.name.trim(), fee_rule: m.fee_rule };
	if (m.fee_rule === 'flat')
		o.fee_vnd = num(m.fee_vnd) ?? 0;
	else
		o.weight_tiers = m.tiers.map((w) => ({ up_to_g: num(w.up_to_g), fee_vnd: num(w.fee_vnd) }));
	if (num(m.free_over_vnd) !== undefined)
		o.free_over_vnd = num(m.free_over_vnd);
	return o;
}

function ShippingForm({ slug, methods }) {
	const f = useForm({ methods: methods.length ? methods.map(toForm)
	    : [{ carrier: 'own', name: '', fee_rule: 'flat', fee_vnd: '0', free_over_vnd: '', tiers: [] }] });
	const [ok, setOk] = useState(false);
	const ms = f.values.methods;
	const setMs = (next) => f.set('methods')(next);
	const upd = (i, k) => (v) => setMs(ms.map((m, j) => (j === i ? { ...m, [k]: v } : m)));
	const updTier = (i, ti, k) => (v) => setMs(ms.map((m, j) => (j === i
	    ? { ...m, tiers: m.tiers.map((w, x) => (x === ti ? { ...w, [k]: v } : w)) } : m)));
	function onSubmit(e) {
		e.preventDefault();
		setOk(false);
		f.submit(async (v) => {
			await api('PUT', '/stores/' + slug + '/shipping-methods', { methods: v.methods.map(toBody) });
			setOk(true);
		}, 'sm-');
	}
	/* The API names members as methods[0].fee_vnd; the inputs carry those ids. */
	const id = (i, k) => `sm-methods[${i}].${k}`;
	const err = (i, k) => f.errors[id(i, k)];
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate>
		<${FormError} msg=${f.errors._ || f.errors['sm-methods']} />
		${ok && html`<p class="alert alert-ok" role="status">${t('bo.saved')}</p>`}
		${ms.map((m, i) => html`<fieldset key=${i} class="method">
			<legend>${t('ship.method', { n: i + 1 })}</legend>
			<${Select} id=${id(i, 'carrier')} label=${t('ship.carrier')} value=${m.carrier} onInput=${upd(i, 'carrier')}
			    err=${err(i, 'carrier')} options=${CARRIERS.map((c) => ({ value: c, label: t('carrier.' + c) }))} />
			<${Field} id=${id(i, 'name')} label=${t('ship.name')} value=${m.name} onInput=${upd(i, 'name')} err=${err(i, 'name')} />
			<${Select} id=${id(i, 'fee_rule')} label=${t('ship.fee_rule')} value=${m.fee_rule} onInput=${upd(i, 'fee_rule')}
			    err=${err(i, 'fee_rule')} options=${['flat', 'weight'].map((r) => ({ value: r, label: t('ship.fee_rule.' + r) }))} />
			${m.fee_rule === 'flat' ? html`<${Field} id=${id(i, 'fee_vnd')} label=${t('ship.fee_vnd')} inputmode="numeric"
			    value=${m.fee_vnd} onInput=${upd(i, 'fee_vnd')} err=${err(i, 'fee_vnd')} />`
			    : html`<div class="tiers" id=${id(i, 'weight_tiers')} tabindex="-1">
				${err(i, 'weight_tiers') && html`<p class="field-error">${err(i, 'weight_tiers')}</p>`}
				${m.tiers.map((w, ti) => html`<div key=${ti} class="tier" role="group" aria-label=${t('ship.tier', { n: ti + 1 })}>
					<${Field} id=${id(i, `weight_tiers[${ti}].up_to_g`)} label=${t('ship.up_to_g')} inputmode="numeric"
					    value=${w.up_to_g} onInput=${updTier(i, ti, 'up_to_g')} err=${err(i, `weight_tiers[${ti}].up_to_g`)} />
					<${Field} id=${id(i, `weight_tiers[${ti}].fee_vnd`)} label=${t('ship.fee_vnd')} inputmode="numeric"
					    value=${w.fee_vnd} onInput=${updTier(i, ti, 'fee_vnd')} err=${err(i, `weight_tiers[${ti}].fee_vnd`)} />
					<button type="button" class="btn btn-small" aria-label=${t('ship.remove_tier', { n: ti + 1 })}
					    onClick=${() => setMs(ms.map((x, j) => (j === i ? { ...x, tiers: x.tiers.filter((_, y) => y !== ti) } : x)))}>${t('bo.delete')}</button>
				</div>`)}
				<button type="button" class="btn btn-small" onClick=${() => setMs(ms.map((x, j) => (j === i
				    ? { ...x, tiers: x.tiers.concat({ up_to_g: '', fee_vnd: '' }) } : x)))}>${t('ship.add_tier')}</button>
			</div>`}
			<${Field} id=${id(i, 'free_over_vnd')} label=${t('ship.free_over_vnd')} inputmode="numeric"
			    value=${m.free_over_vnd} onInput=${upd(i, 'free_over_vnd')} err=${err(i, 'free_over_vnd')} />
			${ms.length > 1 && html`<button type="button" class="btn btn-small"
			    onClick=${() => setMs(ms.filter((_, j) => j !== i))}>${t('ship.remove', { n: i + 1 })}</button>`}
		</fieldset>`)}
		<div class="actions">
			${ms.length < 10 && html`<button type="button" class="btn" onClick=${() => setMs(ms.concat({
			    carrier: 'own', name: '', fee_rule: 'flat', fee_vnd: '0', free_over_vnd: '', tiers: [] }))}>${t('ship.add')}</button>`}
			<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('bo.save')}</button>
		</div>
	</form>`;
}

export function Shipping({ params }) {
	const slug = slugOk(params.slug) ? params.slug : 'x--';
	const mine = useMyStore(slug);
	useTitle(t('ship.title'));
	const st = useGet('/stores/' + slug + '/shipping-methods');
	return html`<h1 tabindex="-1">${t('ship.title')}</h1>
		<${StoreNav} slug=${slug} name=${mine ? mine.name : ''} />
		<p class="muted">${t('ship.intro')}</p>
		<${Async} state=${st}>${(d) => html`<${ShippingForm} slug=${slug} methods=${d.items} />`}<//>`;
}
