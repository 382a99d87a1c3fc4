/*
 * Merchant: a store's products (every status), hide/show, new and edit
 * forms, images (file picker with the phone camera, drag and drop; raw
 * upload, judged by content by the API), reorder (the first is the cover)
 * and delete images, delete the product.
 */
import { useRef, useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Field, FormError, useForm, Money, ErrorBox, Loading } from '../../ui.js';
import { api } from '../../api.js';
import { t, localName, addStrings } from '../../i18n.js';
import { navigate } from '../../router.js';
import { Select, TextArea, usePaged, uploadImage, changed, num } from '../bo.js';
import { StoreNav, useMyStore, slugOk } from './store.js';
import '../bo-strings.js';
import '../giam-sat/strings.js';
import { usePlaces, PlaceLists } from '../../places.js';

/* Held for review by monitoring (the product's "review"): the category of the concern, never the rule. */
function ReviewNote({ review }) {
	return review && review.held ? html`<p class="alert review-note">${
	    t('gs.review.cat', { c: t('gs.cat.' + review.category) })} <a href="/kinh-doanh/quyet-dinh">${t('gs.sd.link')}</a></p>` : null;
}

/* A list row that is active but not listed may be held: the list API does not say, the product does. */
function HeldState({ id }) {
	const st = useGet('/products/' + id);
	return st.data && st.data.review ? html`<span class="status bstatus-pending held">${t('gs.review')}: ${t('gs.cat.' + st.data.review.category)}</span>` : null;
}

addStrings({ 'prod.images.camera': 'Hoặc chụp ảnh bằng máy ảnh của điện thoại',
	'prod.delete.title': 'Xóa sản phẩm',
	'prod.delete': 'Xóa sản phẩm này',
	'prod.delete.confirm': 'Xóa “{name}”? Sản phẩm sẽ biến mất khỏi sàn và khỏi danh sách của gian hàng; các đơn hàng đã đặt vẫn giữ thông tin.',
	'prod.delete.yes': 'Xóa',
	'prod.delete.no': 'Hủy' },
    { 'prod.images.camera': 'Or take a photo with the phone camera',
	'prod.delete.title': 'Delete the product',
	'prod.delete': 'Delete this product',
	'prod.delete.confirm': 'Delete “{name}”? It leaves the floor and the store\'s list; orders already placed keep their details.',
	'prod.delete.yes': 'Delete',
	'prod.delete.no': 'Cancel' });

function ProductRow({ p, reload }) {
	const [err, setErr] = useState(null);
	const [busy, setBusy] = useState(false);
	async function setStatus(status) {
		setBusy(true);
		setErr(null);
		try {
			await api('PATCH', '/products/' + p.id, { status });
			reload();
		} catch (e) {
			setErr(e);
		} finally {
			setBusy(false);
		}
	}
	return html`<li class="line">
		<div class="line-main">
			<a href=${'/kinh-doanh/san-pham/' + p.id}>${p.name}</a>
			<span class="muted"><${Money} vnd=${p.price_vnd} /> / ${p.unit} · ${t('prod.stock')}: ${p.stock}</span>
			<${ErrorBox} error=${err} />
		</div>
		<span class=${'status pstatus-' + p.status}>${t('prod.status.' + p.status)}</span>
		<span class="muted">${p.listed ? t('prod.listed') : t('prod.unlisted')}</span>
		${p.status === 'active' && !p.listed && html`<${HeldState} id=${p.id} />`}
		${p.status === 'active' && html`<button type="button" class="btn btn-small" disabled=${busy}
		    aria-label=${t('prod.hide') + ': ' + p.name} onClick=${() => setStatus('hidden')}>${t('prod.hide')}</button>`}
		${(p.status === 'hidden' || p.status === 'draft') && html`<button type="button" class="btn btn-small" disabled=${busy}
		    aria-label=${t('prod.show') + ': ' + p.name} onClick=${() => setStatus('active')}>${t('prod.show')}</button>`}
	</li>`;
}

export function ProductList({ params }) {
	const slug = slugOk(params.slug) ? params.slug : 'x--';
	const mine = useMyStore(slug);
	useTitle(t('prod.title'));
	const st = usePaged('/stores/' + slug + '/products', { limit: 50 }, slug);
	return html`<h1 tabindex="-1">${t('prod.title')}</h1>
		<${StoreNav} slug=${slug} name=${mine ? mine.name : ''} />
		<p><a class="btn btn-primary" href=${'/kinh-doanh/cua-hang/' + slug + '/san-pham/moi'}>${t('prod.new')}</a>
		    <a class="btn" href="/kinh-doanh/quyet-dinh">${t('gs.sd.link')}</a></p>
		<${ErrorBox} error=${st.error} onRetry=${st.reload} />
		${!st.loading && !st.error && st.items.length === 0 && html`<p>${t('bo.none')}</p>`}
		<ul class="lines products">${st.items.map((p) => html`<${ProductRow} key=${p.id} p=${p} reload=${st.reload} />`)}</ul>
		${st.loading && html`<${Loading} />`}
		${st.next && !st.loading && html`<p class="center"><button type="button" class="btn" onClick=${st.more}>${t('bo.more')}</button></p>`}`;
}

const TEXT = ['name', 'unit', 'origin_province', 'ocop_certificate', 'trace_code', 'licence_ref', 'description'];
const NUMS = ['category_id', 'price_vnd', 'stock', 'weight_g', 'ocop_stars'];
const ALL = ['name', 'category_id', 'price_vnd', 'unit', 'stock', 'weight_g', 'origin_province',
    'ocop_stars', 'ocop_certificate', 'trace_code', 'licence_ref', 'description', 'status'];

/* Categories as options, children under their parent; prohibited ones left out. */
function categoryOptions(items) {
	const out = [{ value: '', label: t('prod.category.pick') }];
	const walk = (parent, depth) => items.filter((c) => c.parent_id === parent && c.policy !== 'prohibited')
	    .forEach((c) => {
		out.push({ value: String(c.id), label: '\u00a0\u00a0'.repeat(depth) + localName(c) });
		walk(c.id, depth + 1);
	    });
	walk(null, 0);
	return out;
}

function ProductForm({ row, slug, cats }) {
	const init = {};
	ALL.forEach((k) => { init[k] = row ? (row[k] === null || row[k] === undefined ? '' : String(row[k])) : ''; });
	if (row)
		init.category_id = String(row.category.id);
	else {
		init.status = 'active';
		init.unit = 'kg';
		init.origin_province = 'Tây Ninh';
	}
	const f = useForm(init);
	const [ok, setOk] = useState(false);
	const { provinces } = usePlaces('');
	const cat = cats.find((c) => String(c.id) === f.values.category_id);
	function onSubmit(e) {
		e.preventDefault();
		setOk(false);
		f.submit(async (v) => {
			const body = {};
			for (const k of ALL) {
				const x = NUMS.includes(k) ? num(v[k]) : TEXT.includes(k) ? String(v[k]).trim() : v[k];
				if (x !== undefined && x !== '')
					body[k] = x;
				else if (row && row[k] !== null && row[k] !== undefined && row[k] !== '')
					body[k] = null;
			}
			if (!row) {
				const p = await api('POST', '/stores/' + slug + '/products', body);
				navigate('/kinh-doanh/san-pham/' + p.id + '?moi=1');
				return;
			}
			const before = { ...row, category_id: row.category.id };
			const diff = changed(body, before);
			for (const k of Object.keys(before))
				if (body[k] === null && (before[k] === null || before[k] === ''))
					delete diff[k];
			if (Object.keys(diff).length)
				await api('PATCH', '/products/' + row.id, diff);
			setOk(true);
		}, 'pf-');
	}
	const fld = (k, props = {}) => html`<${Field} id=${'pf-' + k} label=${t('prod.' + k)}
	    value=${f.values[k]} onInput=${f.set(k)} err=${f.errors['pf-' + k]} ...${props} />`;
	const statuses = ['draft', 'active', 'hidden'].concat(row && row.status === 'removed' ? ['removed'] : []);
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow">
		<${FormError} msg=${f.errors._} />
		${ok && html`<p class="alert alert-ok" role="status">${t('bo.saved')}</p>`}
		${fld('name', { required: true })}
		<${Select} id="pf-category_id" label=${t('prod.category')} value=${f.values.category_id}
		    onInput=${f.set('category_id')} err=${f.errors['pf-category_id']} options=${categoryOptions(cats)}
		    hint=${cat && cat.policy === 'conditional' ? cat.licence_hint : undefined} required />
		${fld('price_vnd', { inputmode: 'numeric', required: true })}
		${fld('unit', { required: true })}
		${fld('stock', { inputmode: 'numeric', required: true })}
		${fld('weight_g', { inputmode: 'numeric' })}
		${cat && cat.policy === 'conditional' && fld('licence_ref', { required: true })}
		${fld('origin_province', { list: 'pf-provinces', autocomplete: 'off' })}
		<${PlaceLists} prefix="pf" provinces=${provinces} wards=${[]} />
		<${Select} id="pf-ocop_stars" label=${t('prod.ocop_stars')} value=${f.values.ocop_stars}
		    onInput=${f.set('ocop_stars')} err=${f.errors['pf-ocop_stars']}
		    options=${[{ value: '', label: t('prod.ocop.none') }].concat([3, 4, 5].map((n) => ({ value: String(n), label: t('home.ocop', { n }) })))} />
		${f.values.ocop_stars && fld('ocop_certificate')}
		${fld('trace_code')}
		<${TextArea} id="pf-description" label=${t('prod.description')} value=${f.values.description}
		    onInput=${f.set('description')} err=${f.errors['pf-description']} rows="6" />
		<${Select} id="pf-status" label=${t('bo.status')} value=${f.values.status} onInput=${f.set('status')}
		    err=${f.errors['pf-status']} options=${statuses.map((s) => ({ value: s, label: t('prod.status.' + s) }))} />
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${row ? t('bo.save') : t('prod.create')}</button>
	</form>`;
}

function Images({ p, reload }) {
	const [busy, setBusy] = useState(false);
	const [msg, setMsg] = useState(null);
	const [err, setErr] = useState(null);
	const [over, setOver] = useState(false);
	const input = useRef(null);
	async function send(files) {
		setErr(null);
		setMsg(null);
		setBusy(true);
		try {
			for (const file of files)
				await uploadImage(p.id, file);
			setMsg(t('prod.images.done'));
			reload();
		} catch (e) {
			setErr(e.message || t('common.error'));
		} finally {
			setBusy(false);
			if (input.current)
				input.current.value = '';
		}
	}
	async function del(id) {
		setErr(null);
		try {
			await api('DELETE', '/images/' + id);
			reload();
		} catch (e) {
			setErr(e.message || t('common.error'));
		}
	}
	/* Moves an image to place `to` (0: the cover); the order comes back. */
	async function move(id, to) {
		setErr(null);
		setMsg(null);
		try {
			await api('PATCH', '/images/' + id, { position: to });
			setMsg(t(to === 0 ? 'prod.image.covered' : 'prod.image.moved'));
			reload();
		} catch (e) {
			setErr(e.message || t('common.error'));
		}
	}
	function onDrop(e) {
		e.preventDefault();
		setOver(false);
		if (e.dataTransfer && e.dataTransfer.files.length)
			send([...e.dataTransfer.files]);
	}
	return html`<section aria-labelledby="h-img">
		<h2 id="h-img">${t('prod.images')}</h2>
		${p.images.length > 1 && html`<p class="hint">${t('prod.images.order')}</p>`}
		<ol class="thumbs">${p.images.map((im, i) => html`<li key=${im.id}>
			<img src=${im.url + '/thumb'} alt=${t('prod.image.alt', { n: i + 1 })} width="160" height="120" loading="lazy" />
			${i === 0 && html`<span class="badge">${t('prod.image.cover')}</span>`}
			<span class="thumb-moves">
				${i > 0 && html`<button type="button" class="btn btn-small" onClick=${() => move(im.id, i - 1)}
				    aria-label=${t('prod.image.earlier', { n: i + 1 })}>←</button>`}
				${i < p.images.length - 1 && html`<button type="button" class="btn btn-small" onClick=${() => move(im.id, i + 1)}
				    aria-label=${t('prod.image.later', { n: i + 1 })}>→</button>`}
				${i > 0 && html`<button type="button" class="btn btn-small" onClick=${() => move(im.id, 0)}>${t('prod.image.make_cover', { n: i + 1 })}</button>`}
			</span>
			<button type="button" class="btn btn-small" onClick=${() => del(im.id)}>${t('prod.image.delete', { n: i + 1 })}</button>
		</li>`)}</ol>
		<div class=${'drop' + (over ? ' over' : '')} onDragOver=${(e) => { e.preventDefault(); setOver(true); }}
		    onDragLeave=${() => setOver(false)} onDrop=${onDrop}>
			<div class=${'field' + (err ? ' has-error' : '')}>
				<label for="pf-image">${t('prod.images.add')}</label>
				<input id="pf-image" ref=${input} type="file" accept="image/jpeg,image/png,image/webp" multiple
				    aria-describedby=${'pf-image-hint' + (err ? ' pf-image-err' : '')} aria-invalid=${err ? 'true' : undefined}
				    disabled=${busy} onChange=${(e) => e.currentTarget.files.length && send([...e.currentTarget.files])} />
				<p class="hint" id="pf-image-hint">${t('prod.images.hint')}</p>
			</div>
			<div class="field">
				<label for="pf-camera">${t('prod.images.camera')}</label>
				<input id="pf-camera" type="file" accept="image/jpeg,image/png,image/webp" capture="environment"
				    aria-describedby=${err ? 'pf-image-err' : undefined}
				    disabled=${busy} onChange=${(e) => e.currentTarget.files.length && send([...e.currentTarget.files])} />
				${err && html`<p class="field-error" id="pf-image-err" data-field="pf-image">${err}</p>`}
			</div>
			<p role="status" class="ok">${busy ? t('prod.images.uploading') : msg}</p>
		</div>
	</section>`;
}

/*
 * Delete the listing (a soft delete: it leaves the floor and this list;
 * orders keep their lines), after a confirmation; then back to the list.
 */
function DeleteProduct({ p }) {
	const [ask, setAsk] = useState(false);
	const [err, setErr] = useState(null);
	const [busy, setBusy] = useState(false);
	async function go() {
		setBusy(true);
		setErr(null);
		try {
			await api('DELETE', '/products/' + p.id);
			navigate('/kinh-doanh/cua-hang/' + p.store.slug + '/san-pham');
		} catch (e) {
			setErr(e);
			setBusy(false);
		}
	}
	return html`<section aria-labelledby="h-pdel">
		<h2 id="h-pdel">${t('prod.delete.title')}</h2>
		${ask ? html`<div class="confirm">
			<p>${t('prod.delete.confirm', { name: p.name })}</p>
			<button type="button" class="btn btn-danger" disabled=${busy} onClick=${go}>${t('prod.delete.yes')}</button>
			<button type="button" class="btn" onClick=${() => setAsk(false)}>${t('prod.delete.no')}</button>
		</div>` : html`<p><button type="button" class="btn" onClick=${() => setAsk(true)}>${t('prod.delete')}</button></p>`}
		<${ErrorBox} error=${err} />
	</section>`;
}

function EditView({ p, reload, cats }) {
	useTitle(p.name);
	return html`<h1 tabindex="-1">${t('prod.edit.title')}: ${p.name}</h1>
		<${StoreNav} slug=${p.store.slug} name=${p.store.name} />
		<p><span class=${'status pstatus-' + p.status}>${t('prod.status.' + p.status)}</span>
		    <span class="muted"> ${p.listed ? t('prod.listed') : t('prod.unlisted')}</span>
		    ${p.listed && html` · <a href=${'/san-pham/' + p.id}>${t('prod.view')}</a>`}</p>
		${p.removed_reason && html`<p class="alert alert-error">${t('prod.removed_reason')}: ${p.removed_reason}</p>`}
		<${ReviewNote} review=${p.review} />
		<${Images} p=${p} reload=${reload} />
		<h2>${t('prod.edit.title')}</h2>
		<${ProductForm} key=${p.updated_at} row=${p} slug=${p.store.slug} cats=${cats} />
		${p.status !== 'removed' && html`<${DeleteProduct} p=${p} />`}`;
}

export function ProductEdit({ params }) {
	const st = useGet('/products/' + (/^\d{1,18}$/.test(params.id) ? params.id : '0'));
	const cats = useGet('/categories');
	return html`<${Async} state=${cats}>${(c) => html`<${Async} state=${st}>${(p) => html`<${EditView}
	    p=${p} reload=${st.reload} cats=${c.items} />`}<//>`}<//>`;
}

export function ProductNew({ params }) {
	const slug = slugOk(params.slug) ? params.slug : 'x--';
	const mine = useMyStore(slug);
	useTitle(t('prod.new.title'));
	const cats = useGet('/categories');
	return html`<h1 tabindex="-1">${t('prod.new.title')}</h1>
		<${StoreNav} slug=${slug} name=${mine ? mine.name : ''} />
		<p class="muted">${t('prod.images.after')}</p>
		<${Async} state=${cats}>${(c) => html`<${ProductForm} slug=${slug} cats=${c.items} />`}<//>`;
}
