export interface ArtifactView {
  id: number;
  run_id: number;
  job_id: number | null;
  path: string;
  kind: string;
  mime_type: string;
  bytes: number;
  sha256: string;
  created_at: string;
}
