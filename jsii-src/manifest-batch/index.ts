import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Adds already-rendered Kubernetes manifests to a construct tree as ordinary `cdk8s.ApiObject`s,
 * thousands per call, for `kasm_constructs.constructs._batch.add_manifests` (Python).
 *
 * Each manifest becomes exactly what Python's
 * `ApiObject(scope, id, api_version=..., kind=..., metadata=ApiObjectMetadata(...))`, followed by
 * one `add_json_patch(JsonPatch.add("/<key>", value))` per other top-level key, makes: the same
 * class, the same props, the same patches in the same order. So cdk8s applies the chart's
 * namespace and labels the same way, sorts the metadata's keys the same way (props are sorted),
 * and keeps the body's key order the same way (patched values are not sorted).
 */
export class ManifestBatch {
  /**
   * The ids of `ids` that `scope` already has a child with.
   *
   * @param scope the construct the manifests are to be added to
   * @param ids a JSON array of construct ids
   * @returns a JSON array of the ids that are taken, in the order given
   */
  public static taken(scope: Construct, ids: string): string {
    const wanted: string[] = JSON.parse(ids);
    return JSON.stringify(wanted.filter((id) => scope.node.tryFindChild(id) !== undefined));
  }

  /**
   * Remove the children of `scope` with the ids of `ids` (those it has), e.g. the objects an
   * `add` made before a later one failed.
   *
   * @param scope the construct the manifests were added to
   * @param ids a JSON array of construct ids
   */
  public static remove(scope: Construct, ids: string): void {
    for (const id of JSON.parse(ids) as string[]) {
      scope.node.tryRemoveChild(id);
    }
  }

  /**
   * Add one `ApiObject` per entry of `chunk`, as children of `scope`, in the order given.
   *
   * Python checks the entries first (ids free and unique, apiVersion, kind and metadata.name
   * strings); nothing is checked here.
   *
   * @param scope the parent of the new objects (inside a chart)
   * @param chunk a JSON array of entries `{"id": <construct id>, "manifest": {...}}`
   * @param sealed when given, the objects refuse any later change (a JSON patch, a change to
   *   their metadata) with this message: what was judged is what is written
   */
  public static add(scope: Construct, chunk: string, sealed?: string): void {
    const entries: Entry[] = JSON.parse(chunk);
    // jsii drops the null-valued keys of the maps it passes from Python (None in a dict, at any
    // depth): drop them too. Skipped when the chunk has no null at all.
    const mayHaveNull = chunk.includes('null');
    for (const { id, manifest } of entries) {
      const metadata = mayHaveNull ? dropNullKeys(manifest.metadata) : manifest.metadata;
      const props = { apiVersion: manifest.apiVersion, kind: manifest.kind, metadata };
      const seal = sealed === undefined ? undefined : new SealedApiObject(scope, id, props, sealed);
      const obj = seal ?? new ApiObject(scope, id, props);
      const patches = new Array<JsonPatch>();
      for (const key of Object.keys(manifest)) {
        if (key === 'apiVersion' || key === 'kind' || key === 'metadata') {
          continue;
        }
        const value = mayHaveNull ? dropNullKeys(manifest[key]) : manifest[key];
        patches.push(JsonPatch.add(`/${escapePointer(key)}`, value));
      }
      if (patches.length > 0) {
        ApiObject.prototype.addJsonPatch.apply(obj, patches);
      }
      seal?.seal();
    }
  }

  private constructor() {}
}

/**
 * An `ApiObject` that writes exactly what it was made with: a JSON patch added later is refused
 * at once, and a change to its metadata (a label or an annotation added through `metadata`)
 * when it is written. What was judged before it was handed over is what is written.
 */
class SealedApiObject extends ApiObject {
  private sealedMetadata?: string;

  public constructor(
    scope: Construct,
    id: string,
    props: { apiVersion: string; kind: string; metadata: any },
    private readonly why: string,
  ) {
    super(scope, id, props);
  }

  /** From here on, no patch and no change to the metadata. */
  public seal(): void {
    this.sealedMetadata = JSON.stringify(this.metadata.toJson());
  }

  public addJsonPatch(..._ops: JsonPatch[]): void {
    throw new Error(this.why);
  }

  public toJson(): any {
    if (
      this.sealedMetadata !== undefined &&
      JSON.stringify(this.metadata.toJson()) !== this.sealedMetadata
    ) {
      throw new Error(this.why);
    }
    return super.toJson();
  }
}

interface Entry {
  readonly id: string;
  readonly manifest: { [key: string]: any };
}

/** `value` with the null-valued keys of every object in it removed (array items stay). */
function dropNullKeys(value: any): any {
  if (Array.isArray(value)) {
    for (const item of value) {
      dropNullKeys(item);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (value[key] === null) {
        delete value[key];
      } else {
        dropNullKeys(value[key]);
      }
    }
  }
  return value;
}

/** A key as one JSON Pointer token (RFC 6901): "~" as "~0", "/" as "~1". */
function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
