/**
 * A plain copy of the environment. Windows' own is case-insensitive (`Path` is `PATH`), a copy is
 * not: there every name is put in capitals, the way this tool asks for them.
 */
export function environmentCopy(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Record<string, string | undefined> {
  if (platform !== 'win32') return { ...env };
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name.toUpperCase(), value]));
}
