/**
 * Builds the Teams app package for one environment, the way the Teams / Agents Toolkit's
 * teamsApp/zipAppPackage action does, but offline and checked:
 *
 *   npm run package:app -- --env local|dev
 *
 * reads env/.env.<env> and env/.env.<env>.user (the user file wins), fills every ${{VAR}} in
 * appPackage/manifest.json, validates the result against the Teams JSON schema bundled in
 * @microsoft/app-manifest, and writes appPackage/build/manifest.<env>.json and
 * appPackage/build/appPackage.<env>.zip (manifest.json and both icons at the zip root).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import yazl from 'yazl';

export class AppPackageError extends Error {
  override name = 'AppPackageError';
}

export type EnvVars = Record<string, string>;

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ENV_LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/** Variables that may legitimately be empty (a production build has no name suffix). */
export const MAY_BE_EMPTY: readonly string[] = ['APP_NAME_SUFFIX'];

/** Icon sizes Teams insists on. */
export const ICON_SIZES = { color: { width: 192, height: 192 }, outline: { width: 32, height: 32 } } as const;

/**
 * Parses a Toolkit-style .env file (dotenv syntax: KEY=value, # comments, optional quotes,
 * `export` prefix). A line that is neither is an error naming the file and line.
 */
export function parseEnvFile(text: string, fileName = '.env'): EnvVars {
  const vars: EnvVars = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = ENV_LINE.exec(line);
    if (!match) throw new AppPackageError(`${fileName} line ${index + 1} is not KEY=value: "${line}".`);
    vars[match[1]] = envValue(match[2]);
  });
  return vars;
}

function envValue(rest: string): string {
  const quote = rest[0];
  if (quote === '"' || quote === "'" || quote === '`') {
    const end = rest.indexOf(quote, 1);
    if (end > 0) {
      const inner = rest.slice(1, end);
      return quote === '"' ? inner.replace(/\\n/g, '\n') : inner;
    }
  }
  // Unquoted: a " #" starts a comment, as in dotenv.
  const comment = rest.search(/\s#/);
  return (comment >= 0 ? rest.slice(0, comment) : rest).trim();
}

/** Reads env/.env.<env> (required) and then env/.env.<env>.user (optional, wins). */
export async function readEnvironment(envDir: string, envName: string): Promise<EnvVars> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(envName)) {
    throw new AppPackageError(`"${envName}" is not an environment name (letters, digits, - and _ only).`);
  }
  const basePath = path.join(envDir, `.env.${envName}`);
  const base = await readFile(basePath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new AppPackageError(`There is no environment file ${basePath}.`);
    throw error;
  });
  const userPath = `${basePath}.user`;
  const user = await readFile(userPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return { ...parseEnvFile(base, basePath), ...parseEnvFile(user, userPath) };
}

/** The names of the ${{VAR}} placeholders in a text, in order of first use. */
export function findPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * Fills every ${{VAR}} inside the strings of a JSON value (filling the parsed structure, not the
 * raw text, so a value with a quote in it cannot break the JSON). Throws one error naming every
 * variable that is undefined, or empty when it may not be.
 */
export function fillPlaceholders<T>(value: T, vars: EnvVars, mayBeEmpty: readonly string[] = MAY_BE_EMPTY): T {
  const missing = new Set<string>();
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (_whole, name: string) => {
        const found = vars[name];
        if (found === undefined || (found === '' && !mayBeEmpty.includes(name))) {
          missing.add(name);
          return '';
        }
        return found;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, fill(child)]));
    }
    return node;
  };
  const filled = fill(value) as T;
  if (missing.size > 0) {
    const names = [...missing].sort();
    throw new AppPackageError(
      `Missing value${names.length > 1 ? 's' : ''} for ${names.join(', ')}: set ${names.length > 1 ? 'them' : 'it'} in the environment file (or run teamsapp provision, which writes them).`,
    );
  }
  return filled;
}

/** The bot and the tabs are served by one host in most deployments; list each domain once. */
export function withUniqueValidDomains<T extends { validDomains?: string[] }>(manifest: T): T {
  if (!manifest.validDomains) return manifest;
  const seen = new Set<string>();
  const validDomains = manifest.validDomains.filter((domain) => {
    const key = domain.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...manifest, validDomains };
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
export function readPngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new AppPackageError('is not a PNG file');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Schema errors for a built manifest, from the schema version named in its $schema (offline). */
export async function validateManifest(manifest: TeamsManifest): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(manifest);
}

export interface BuildOptions {
  envName: string;
  envDir: string;
  appPackageDir: string;
  outDir: string;
}

export interface BuiltPackage {
  manifest: TeamsManifest;
  manifestPath: string;
  zipPath: string;
}

// A fixed timestamp makes the zip byte-for-byte reproducible for the same inputs.
const ZIP_MTIME = new Date('2024-01-01T00:00:00Z');

export async function buildAppPackage(options: BuildOptions): Promise<BuiltPackage> {
  const vars = await readEnvironment(options.envDir, options.envName);
  const templatePath = path.join(options.appPackageDir, 'manifest.json');
  const template = JSON.parse(await readFile(templatePath, 'utf8')) as TeamsManifest;
  let filled: TeamsManifest;
  try {
    filled = fillPlaceholders(template, vars);
  } catch (error) {
    if (!(error instanceof AppPackageError)) throw error;
    throw new AppPackageError(
      `Cannot package "${options.envName}" (${path.relative(process.cwd(), path.join(options.envDir, `.env.${options.envName}`))}): ${error.message}`,
    );
  }
  const manifest = withUniqueValidDomains(filled);

  const errors = await validateManifest(manifest);
  if (errors.length > 0) {
    throw new AppPackageError(`The built manifest for "${options.envName}" is not valid:\n  ${errors.join('\n  ')}`);
  }

  const icons = await Promise.all(
    (['color', 'outline'] as const).map(async (kind) => {
      const name = manifest.icons[kind];
      const file = path.join(options.appPackageDir, name);
      const bytes = await readFile(file).catch(() => {
        throw new AppPackageError(`The ${kind} icon ${file} named in the manifest does not exist.`);
      });
      let size: { width: number; height: number };
      try {
        size = readPngSize(bytes);
      } catch (error) {
        throw new AppPackageError(`The ${kind} icon ${file} ${(error as Error).message}.`);
      }
      const want = ICON_SIZES[kind];
      if (size.width !== want.width || size.height !== want.height) {
        throw new AppPackageError(
          `The ${kind} icon ${file} is ${size.width}x${size.height}; Teams needs ${want.width}x${want.height}.`,
        );
      }
      return { name: path.posix.basename(name), bytes };
    }),
  );

  await mkdir(options.outDir, { recursive: true });
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  const manifestPath = path.join(options.outDir, `manifest.${options.envName}.json`);
  await writeFile(manifestPath, json);

  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(json), 'manifest.json', { mtime: ZIP_MTIME });
  for (const icon of icons) zip.addBuffer(icon.bytes, icon.name, { mtime: ZIP_MTIME });
  zip.end();
  const zipPath = path.join(options.outDir, `appPackage.${options.envName}.zip`);
  await pipeline(zip.outputStream, createWriteStream(zipPath));

  return { manifest, manifestPath, zipPath };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { env: { type: 'string', short: 'e' } } });
  if (!values.env) throw new AppPackageError('Say which environment to package: npm run package:app -- --env local|dev');
  // src/cli and dist/cli both sit two levels below the project root.
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const built = await buildAppPackage({
    envName: values.env,
    envDir: path.join(root, 'env'),
    appPackageDir: path.join(root, 'appPackage'),
    outDir: path.join(root, 'appPackage', 'build'),
  });
  process.stdout.write(
    `Built ${path.relative(root, built.zipPath)} and ${path.relative(root, built.manifestPath)} (manifest ${built.manifest.manifestVersion}, valid).\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof AppPackageError ? error.message : String((error as Error).stack ?? error)}\n`);
    process.exitCode = 1;
  });
}
