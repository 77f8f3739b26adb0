import "server-only";
import { z } from "zod";
import { writeCatalog, type CatalogChange, type CatalogEntry } from "@/lib/db/models";
import { AppError } from "@/lib/errors";
import { getUpstream, upstreamFetch } from "@/lib/redpill/upstream";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

const price = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => {
    const text = value == null ? "0" : String(value);
    return /^\d+(\.\d+)?(e-?\d+)?$/i.test(text) ? text : "0";
  });

const upstreamModel = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  context_length: z.number().int().nullish(),
  input_modalities: z.array(z.string()).nullish(),
  architecture: z.object({ input_modalities: z.array(z.string()).nullish() }).nullish(),
  pricing: z.object({ prompt: price, completion: price }).partial().nullish(),
  is_tee: z.boolean().nullish(),
});

const modelsResponse = z.object({ data: z.array(z.unknown()) });

export function toCatalogEntry(raw: z.infer<typeof upstreamModel>): CatalogEntry {
  return {
    id: raw.id,
    name: raw.name ?? raw.id,
    contextLength: raw.context_length ?? null,
    promptPrice: raw.pricing?.prompt ?? "0",
    completionPrice: raw.pricing?.completion ?? "0",
    inputModalities: raw.input_modalities ?? raw.architecture?.input_modalities ?? ["text"],
    isTee: raw.is_tee ?? false,
  };
}

/** GET /v1/models, parsed. Entries that do not parse are skipped, not fatal. */
export async function fetchCatalog(): Promise<CatalogEntry[]> {
  const { baseURL, apiKey } = getUpstream();
  let response: Response;
  try {
    response = await upstreamFetch(`${baseURL}/models`, {
      headers: { Authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new AppError("upstream:model", "Could not reach RedPill to load the model catalog.", { cause: error });
  }
  if (!response.ok) {
    throw new AppError("upstream:model", `RedPill answered ${response.status} when loading the model catalog.`);
  }
  const parsed = modelsResponse.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new AppError("upstream:model", "RedPill's model catalog was not in the expected shape.");
  return parsed.data.data.flatMap((item) => {
    const model = upstreamModel.safeParse(item);
    return model.success ? [toCatalogEntry(model.data)] : [];
  });
}

/**
 * The start-up sync: new models start disabled unless the workspace enables them automatically
 * (the first sync of an empty catalog enables all). An admin's refresh is `refreshCatalog`.
 */
export async function syncCatalog(): Promise<CatalogChange> {
  const entries = await fetchCatalog();
  const { autoEnableNewModels } = await getWorkspaceSettings();
  return writeCatalog(entries, { enableNew: autoEnableNewModels });
}
