// The field grammar nvidia-smi uses with --format=csv,noheader,nounits: one record per line, fields
// separated by ", ", and bracketed words ([N/A], [Not Supported], [Unknown Error], ...) where a value
// is unavailable. Pure: no I/O.

/** A bracketed placeholder such as [N/A] or [Not Supported] (never a value). */
export const UNAVAILABLE = /^\[[^\]]*\]$/;

/** Splits output into records, dropping blank lines and the CR of Windows-style line ends. */
export function csvRecords(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, '').trim())
    .filter((l) => l !== '')
    .map((l) => l.split(',').map((f) => f.trim()));
}

/** A number, or null for a placeholder, an empty or a missing field, or anything unparsable. */
export function numberField(raw: string | undefined): number | null {
  if (raw === undefined || raw === '' || UNAVAILABLE.test(raw)) return null;
  // nounits is honoured by current drivers; old ones still append units ("215.34 W", "24576 MiB", "35 %")
  const m = /^(-?\d+(?:\.\d+)?)\s*(?:%|MiB|W|C)?$/.exec(raw);
  return m ? Number(m[1]) : null;
}

export function textField(raw: string | undefined): string | null {
  if (raw === undefined || raw === '' || UNAVAILABLE.test(raw)) return null;
  return raw;
}

/** Messages nvidia-smi prints instead of records (no GPU, no driver). */
export function noDeviceMessage(text: string): string | null {
  const t = text.trim();
  if (/^No devices were found/i.test(t)) return 'no GPU devices were found';
  if (/NVIDIA-SMI has failed/i.test(t)) return 'nvidia-smi could not communicate with the NVIDIA driver';
  if (/^No running processes found/i.test(t)) return null;
  return null;
}
