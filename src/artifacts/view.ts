import type { ArtifactRow } from '../store/artifacts.ts';

/** An artifact record as the API shows it. */
export type ArtifactView = Omit<ArtifactRow, 'created_at'> & { created_at: string };
