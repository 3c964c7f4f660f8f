// The public portal page: vanilla JS, no build step. Every value from the API
// is written with textContent, never as HTML.
(() => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };
  const pageSize = 20;
  let start = 0;
  let total = 0;
  let query = '';
  let current = null;

  async function api(method, path, body, files) {
    let init = {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    // With files: multipart, the filing as JSON text in `request` and each file as `file`.
    if (files && files.length) {
      const form = new FormData();
      form.append('request', JSON.stringify(body));
      for (const f of files) form.append('file', f);
      init = { method, body: form };
    }
    const res = await fetch(path, init);
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const err = data?.error ? data.error : { message: `请求失败（${res.status}）` };
      const details = (err.details || []).map((d) => (d.path ? `${d.path}：${d.message}` : d.message)).join('；');
      throw new Error(details ? `${err.message}（${details}）` : err.message);
    }
    return { data, headers: res.headers };
  }

  function show(node, message, ok) {
    node.textContent = message;
    node.className = ok ? 'ok' : 'error';
  }

  function formatValue(f) {
    const v = f.value;
    if (v === true) return '是';
    if (v === false) return '否';
    if (Array.isArray(v)) return v.join('、');
    if (v && typeof v === 'object') return [v.title, v.number, v.date].filter(Boolean).join(' ');
    if (f.type === 'money' && typeof v === 'number') return `${v.toLocaleString('zh-CN')} 元`;
    return String(v);
  }

  async function search() {
    const results = $('results');
    results.replaceChildren(el('p', '查询中……', 'muted'));
    try {
      const params = new URLSearchParams({ _start: String(start), _end: String(start + pageSize) });
      if (query) params.set('q', query);
      const { data, headers } = await api('GET', `/api/public/entries?${params}`);
      total = Number(headers.get('x-total-count') || 0);
      if (!data.length) {
        results.replaceChildren(el('p', query ? '未查到相关公示信息。' : '暂无公示信息。', 'muted'));
        $('pager').hidden = true;
        return;
      }
      const table = el('table');
      const head = el('tr');
      for (const h of ['主体名称', '代码', '名单', '公示部门', '公示日期']) head.append(el('th', h));
      table.append(head);
      for (const e of data) {
        const tr = el('tr', undefined, 'row');
        tr.tabIndex = 0;
        const list = el('td');
        list.append(el('span', e.list.kindLabel, `tag ${e.list.kind}`), ' ', e.list.name);
        tr.append(el('td', e.subject.name), el('td', e.subject.code), list, el('td', e.department.name), el('td', e.publishedAt || ''));
        tr.addEventListener('click', () => openDetail(e.id));
        tr.addEventListener('keydown', (ev) => ev.key === 'Enter' && openDetail(e.id));
        table.append(tr);
      }
      results.replaceChildren(table);
      $('pager').hidden = total <= pageSize;
      $('page').textContent = `第 ${start + 1}–${Math.min(start + pageSize, total)} 条，共 ${total} 条`;
      $('prev').disabled = start === 0;
      $('next').disabled = start + pageSize >= total;
    } catch (err) {
      results.replaceChildren(el('p', err.message, 'error'));
    }
  }

  async function openDetail(id) {
    try {
      const { data: e } = await api('GET', `/api/public/entries/${encodeURIComponent(id)}`);
      current = e;
      $('detail-title').textContent = `${e.subject.name} · ${e.list.name}`;
      const dl = $('detail-body');
      dl.replaceChildren();
      const row = (k, v) => v !== null && v !== undefined && v !== '' && dl.append(el('dt', k), el('dd', v));
      row('名单', `${e.list.name}（${e.list.kindLabel}）`);
      row('主体类别', e.subject.kindLabel);
      row('主体名称', e.subject.name);
      row(e.subject.kind === 'natural_person' ? '身份证号码' : '统一社会信用代码', e.subject.code);
      for (const p of e.relatedPersons) row(p.role || '有关人员', `${p.name}（${p.code}）`);
      for (const f of e.fields) row(f.label, formatValue(f));
      row('认定决定文号', e.decisionNo);
      row('决定日期', e.decisionDate);
      row('公示部门', e.department.name);
      row('公示日期', e.publishedAt);
      row('公示截止', e.termEnd);
      row('设列依据', e.list.legalBasis.join('\n'));
      row('个人信息公开依据', e.personalInfoBasis);
      $('open-objection').hidden = !e.accepts.objection;
      $('open-repair').hidden = !e.accepts.repair;
      $('objection').hidden = true;
      $('repair').hidden = true;
      const mats = $('r-materials');
      mats.replaceChildren();
      for (const m of e.accepts.repairMaterials) {
        const label = el('label');
        const box = el('input');
        box.type = 'checkbox';
        box.value = m.id;
        label.append(box, ` ${m.name}`);
        mats.append(label);
      }
      if (!e.accepts.repairMaterials.length) mats.append(el('span', '本名单未规定必备材料', 'muted'));
      $('detail').hidden = false;
      $('detail').scrollIntoView({ behavior: 'smooth' });
    } catch (err) {
      alert(err.message);
    }
  }

  $('search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    query = $('q').value.trim();
    start = 0;
    search();
  });
  $('prev').addEventListener('click', () => {
    start = Math.max(0, start - pageSize);
    search();
  });
  $('next').addEventListener('click', () => {
    start += pageSize;
    search();
  });
  $('open-objection').addEventListener('click', () => {
    $('objection').hidden = false;
    $('repair').hidden = true;
  });
  $('open-repair').addEventListener('click', () => {
    $('repair').hidden = false;
    $('objection').hidden = true;
  });

  $('objection').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!current) return;
    const out = $('o-result');
    try {
      const { data } = await api('POST', `/api/public/entries/${encodeURIComponent(current.id)}/objections`, {
        content: $('o-content').value,
        contact: { name: $('o-name').value, phone: $('o-phone').value },
      }, [...$('o-files').files]);
      show(out, `已受理。受理编号：${data.trackingNo}，答复期限：${data.dueDate || '—'}。请妥善保存受理编号。`, true);
      ev.target.reset();
    } catch (err) {
      show(out, err.message, false);
    }
  });

  $('repair').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!current) return;
    const out = $('r-result');
    const materials = [...$('r-materials').querySelectorAll('input:checked')].map((b) => ({ type: b.value }));
    try {
      const { data } = await api('POST', `/api/public/entries/${encodeURIComponent(current.id)}/repairs`, {
        application: { reason: $('r-reason').value, contact: { name: $('r-name').value, phone: $('r-phone').value } },
        materials,
      }, [...$('r-files').files]);
      show(out, `已提交。受理编号：${data.trackingNo}，受理期限：${data.dueDate || '—'}。请妥善保存受理编号。`, true);
      ev.target.reset();
    } catch (err) {
      show(out, err.message, false);
    }
  });

  $('track').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const dl = $('track-result');
    dl.replaceChildren();
    try {
      const { data: r } = await api('GET', `/api/public/requests/${encodeURIComponent($('tracking').value.trim())}`);
      const row = (k, v) => v !== null && v !== undefined && v !== '' && dl.append(el('dt', k), el('dd', v));
      row('受理编号', r.trackingNo);
      row('类别', r.typeLabel);
      row('名单', r.listName);
      row('办理状态', r.statusLabel);
      row('受理日期', r.receivedAt);
      row('办理期限', r.dueDate);
      row('办结日期', r.answeredAt);
      row('办理结果', r.resultLabel);
      row('答复意见', r.answer);
    } catch (err) {
      dl.append(el('dd', err.message, 'error'));
    }
  });

  api('GET', '/api/public/platform')
    .then(({ data }) => {
      $('platform').textContent = `${data.name} · 信用信息公示`;
      document.title = `信用信息公示 · ${data.city}`;
    })
    .catch(() => {});
  search();
})();
