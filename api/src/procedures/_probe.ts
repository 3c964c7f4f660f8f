import { makeUscc, makeResidentId, mulberry32, makeCompanyName, makePersonName, createRng } from '../subjects/generate.ts';
const r = mulberry32(2026);
console.log(makeUscc(r), makeResidentId(r), makeCompanyName(r), makePersonName(r));
const r2 = createRng('demo');
console.log(makeUscc(r2), makeResidentId(r2, { birthFrom: '1990-01-01', birthTo: '1990-12-31' }));
const r3 = mulberry32(1); console.log([r3(), r3(), r3()]);
