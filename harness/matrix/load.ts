// Finds the cells under the folders given to `matrix merge`: a folder holding
// cell.json or results.json is a cell; any other folder is searched (two levels,
// as CI artifact downloads nest one folder per artifact).
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { readResultsFile } from '../report/json.ts';
import { CELL_FILE, readCell } from './cell.ts';
import type { CellInput } from './merge.ts';

export const RESULTS_FILE = 'results.json';

export async function findCellDirs(dir: string, depth = 2): Promise<string[]> {
  if (existsSync(path.join(dir, CELL_FILE)) || existsSync(path.join(dir, RESULTS_FILE))) return [dir];
  if (depth === 0) return [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    found.push(...(await findCellDirs(path.join(dir, e.name), depth - 1)));
  }
  return found;
}

/** Every cell under these folders; a folder with nothing in it is an error cell (it says which). */
export async function loadCells(dirs: string[]): Promise<CellInput[]> {
  const inputs: CellInput[] = [];
  for (const dir of dirs) {
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new Error(`${dir}: not a folder`);
    const cells = await findCellDirs(dir);
    if (!cells.length) {
      inputs.push({ dir });
      continue;
    }
    for (const d of cells) {
      const cellFile = path.join(d, CELL_FILE);
      const resultsFile = path.join(d, RESULTS_FILE);
      inputs.push({
        dir: d,
        ...(existsSync(cellFile) ? { cell: await readCell(cellFile) } : {}),
        ...(existsSync(resultsFile) ? { results: await readResultsFile(resultsFile) } : {}),
      });
    }
  }
  return inputs;
}
