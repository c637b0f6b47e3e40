/**
 * The shipped data sets of the d-D targets (src/nd/data/README.md: sources, licences, hashes),
 * parsed from the verbatim CSV copies. Labels are 0/1 for the binary tasks.
 */
import breastCancerCsv from './data/breast-cancer.csv?raw';
import irisCsv from './data/iris.csv?raw';
import eightSchoolsJson from './data/eight-schools.json?raw';

export interface BinaryDataset {
  id: string;
  /** rows x features, row-major, raw (unstandardised). */
  x: Float64Array;
  /** 0/1 labels. */
  y: Uint8Array;
  rows: number;
  features: number;
  featureNames: string[];
  /** What label 1 means. */
  positive: string;
}

const BREAST_CANCER_FEATURES = ['radius', 'texture', 'perimeter', 'area', 'smoothness', 'compactness', 'concavity', 'concave points', 'symmetry', 'fractal dimension'];

function parseRows(csv: string, name: string): { header: string[]; rows: number[][] } {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = lines.shift();
  if (head === undefined) throw new Error(`${name}: empty file`);
  const rows = lines.map((l, i) => l.split(',').map((v) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`${name}: row ${i + 1} has a non-numeric value '${v}'`);
    return x;
  }));
  return { header: head.split(','), rows };
}

let breastCancer: BinaryDataset | undefined;
/** UCI Wisconsin diagnostic: 569 x 30, label 1 = benign (the file's own coding). */
export function breastCancerData(): BinaryDataset {
  if (breastCancer) return breastCancer;
  const { header, rows } = parseRows(breastCancerCsv, 'breast-cancer.csv');
  const n = Number(header[0]), f = Number(header[1]);
  if (rows.length !== n || rows.some((r) => r.length !== f + 1)) throw new Error(`breast-cancer.csv: expected ${n} rows of ${f + 1} numbers`);
  const x = new Float64Array(n * f);
  const y = new Uint8Array(n);
  rows.forEach((r, i) => {
    for (let k = 0; k < f; k++) x[i * f + k] = r[k] ?? NaN;
    y[i] = r[f] === 1 ? 1 : 0;
  });
  const featureNames = ['mean', 'error', 'worst'].flatMap((g) => BREAST_CANCER_FEATURES.map((b) => `${g} ${b}`));
  breastCancer = { id: 'breast-cancer', x, y, rows: n, features: f, featureNames, positive: 'benign' };
  return breastCancer;
}

let iris: BinaryDataset | undefined;
/** Fisher's iris, versicolor (0) vs virginica (1): 100 x 4 (setosa rows dropped). */
export function irisData(): BinaryDataset {
  if (iris) return iris;
  const { rows } = parseRows(irisCsv, 'iris.csv');
  const kept = rows.filter((r) => r[4] === 1 || r[4] === 2);
  const f = 4;
  const x = new Float64Array(kept.length * f);
  const y = new Uint8Array(kept.length);
  kept.forEach((r, i) => {
    for (let k = 0; k < f; k++) x[i * f + k] = r[k] ?? NaN;
    y[i] = r[4] === 2 ? 1 : 0;
  });
  iris = { id: 'iris', x, y, rows: kept.length, features: f, featureNames: ['sepal length', 'sepal width', 'petal length', 'petal width'], positive: 'virginica' };
  return iris;
}

export const BLR_DATASETS = ['breast-cancer', 'iris'] as const;
export type BlrDatasetId = (typeof BLR_DATASETS)[number];

export function binaryDataset(id: BlrDatasetId): BinaryDataset {
  return id === 'breast-cancer' ? breastCancerData() : irisData();
}

export interface EightSchools {
  J: number;
  y: number[];
  sigma: number[];
}

/** Rubin (1981); BDA3 section 5.5. */
export function eightSchoolsData(): EightSchools {
  const d = JSON.parse(eightSchoolsJson) as EightSchools;
  if (d.J !== 8 || d.y.length !== 8 || d.sigma.length !== 8) throw new Error('eight-schools.json: expected J = 8 with 8 y and 8 sigma');
  return d;
}
