/**
 * A scanned profile seen as Cisco sees it: the `<flat-profile>` element(s) and their child
 * elements, the parameters (reference §1). Built once per file and shared by every rule.
 */
import { parameterLookup, type Catalog, type ParameterMatch } from '../profile/catalog.js';
import { scanXml, type XmlAttribute, type XmlElement, type XmlScan } from './xml-scanner.js';

/** A child element of `<flat-profile>`. */
export interface ProfileParameter {
  name: string;
  element: XmlElement;
  /** The value as decoded from the file, before the phone trims it. */
  value: string;
  /** The `ua` attribute, if present. */
  ua: XmlAttribute | undefined;
  /** True when the element has child elements (then it is no parameter: nested-parameter). */
  nested: boolean;
  /** The catalog entry, when the name is known. */
  match: ParameterMatch | undefined;
  /** Set for a leaf of the ATA's `<router-configuration>` section. */
  section?: 'router-configuration';
}

export interface ProfileDocument {
  text: string;
  scan: XmlScan;
  /** Every `<flat-profile>` element: the root, or one wrapped in another element. */
  flatProfiles: XmlElement[];
  /**
   * Child elements of the flat-profile element(s), in document order; the ATA's
   * `<router-configuration>` section is not one of them.
   */
  parameters: ProfileParameter[];
  /** The `<router-configuration>` element(s) (ATA191/192 provisioning guide). */
  routerSections: XmlElement[];
  /** Leaf elements inside `<router-configuration>`, its group elements skipped. */
  routerParameters: ProfileParameter[];
  /**
   * `parameters` then `routerParameters`, built once (three rules walk both); the same array
   * as `parameters` when there are no router leaves.
   */
  everyParameter: readonly ProfileParameter[];
}

/** The ATA191/192's router section: a child of `<flat-profile>` holding groups of leaves. */
export const ROUTER_CONFIGURATION = 'router-configuration';

type Lookup = (name: string) => ParameterMatch | undefined;

function collectRouterLeaves(element: XmlElement, lookup: Lookup, out: ProfileParameter[]): void {
  for (const child of element.children) {
    if (child.children.length > 0) {
      collectRouterLeaves(child, lookup, out);
      continue;
    }
    let ua: XmlAttribute | undefined;
    for (const attribute of child.attributes) if (attribute.name === 'ua') ua = attribute;
    out.push({
      name: child.name,
      element: child,
      value: child.text,
      ua,
      nested: false,
      match: lookup(child.name),
      section: ROUTER_CONFIGURATION,
    });
  }
}

const FLAT_PROFILE = 'flat-profile';

function findFlatProfiles(element: XmlElement, found: XmlElement[]): void {
  if (element.name === FLAT_PROFILE) {
    found.push(element);
    return; // a flat-profile inside a flat-profile is a nested parameter, not a second profile
  }
  for (const child of element.children) findFlatProfiles(child, found);
}

/** Scans the text and collects the parameters. */
export function readProfileDocument(text: string, catalog: Catalog): ProfileDocument {
  const scan = scanXml(text);
  const flatProfiles: XmlElement[] = [];
  const parameters: ProfileParameter[] = [];
  const routerSections: XmlElement[] = [];
  const routerParameters: ProfileParameter[] = [];
  if (scan.root && !scan.error) {
    findFlatProfiles(scan.root, flatProfiles);
    const lookup = parameterLookup(catalog);
    let routerLookup: Lookup | undefined;
    for (const flat of flatProfiles) {
      for (const element of flat.children) {
        if (element.name === ROUTER_CONFIGURATION) {
          routerSections.push(element);
          routerLookup ??= parameterLookup(catalog, ROUTER_CONFIGURATION);
          collectRouterLeaves(element, routerLookup, routerParameters);
          continue;
        }
        let ua: XmlAttribute | undefined;
        for (const attribute of element.attributes) if (attribute.name === 'ua') ua = attribute;
        parameters.push({
          name: element.name,
          element,
          value: element.text,
          ua,
          nested: element.children.length > 0,
          match: lookup(element.name),
        });
      }
    }
  }
  const everyParameter =
    routerParameters.length === 0 ? parameters : [...parameters, ...routerParameters];
  return { text, scan, flatProfiles, parameters, routerSections, routerParameters, everyParameter };
}
