-- Label values of containers off the allowlist are no longer stored (they often carry credentials:
-- basic-auth hashes, tokens in router rules). Rows stored before keep their keys; values outside the
-- safe set (com.docker.compose.*, org.opencontainers.image.*, cyberbrain.*) are replaced, except for
-- containers on the allowlist now. The text matches HIDDEN_LABEL_VALUE in src/docker/container-metadata.ts.
update inventory_containers ic
set labels = coalesce((
  select jsonb_object_agg(
    l.key,
    case
      when l.key like 'com.docker.compose.%' or l.key like 'org.opencontainers.image.%' or l.key like 'cyberbrain.%' then l.value
      else to_jsonb('(hidden: not on the allowlist)'::text)
    end
  )
  from jsonb_each(ic.labels) as l
), '{}'::jsonb)
where not exists (
  select 1 from container_allowlist a
  where a.container_id = ic.container_id and a.enabled
    and coalesce(lower(trim(ic.labels ->> 'cyberbrain.allow')), '') <> 'false'
);
