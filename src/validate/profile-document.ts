/**
 * A scanned profile seen as Cisco sees it: the `<flat-profile>` element(s) and their child
 * elements, the parameters (reference §1). Built once per file and shared by every rule.
 */
import { lookupParameter, type Catalog, type ParameterMatch } from '../profile/catalog.js';
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
}

export interface ProfileDocument {
  text: string;
  scan: XmlScan;
  /** Every `<flat-profile>` element: the root, or one wrapped in another element. */
  flatProfiles: XmlElement[];
  /** Child elements of the flat-profile element(s), in document order. */
  parameters: ProfileParameter[];
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
  if (scan.root && !scan.error) {
    findFlatProfiles(scan.root, flatProfiles);
    for (const flat of flatProfiles) {
      for (const element of flat.children) {
        let ua: XmlAttribute | undefined;
        for (const attribute of element.attributes) if (attribute.name === 'ua') ua = attribute;
        parameters.push({
          name: element.name,
          element,
          value: element.text,
          ua,
          nested: element.children.length > 0,
          match: lookupParameter(catalog, element.name),
        });
      }
    }
  }
  return { text, scan, flatProfiles, parameters };
}
