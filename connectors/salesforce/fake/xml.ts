// Just enough XML for the fake Metadata API: parse the SOAP envelopes jsforce sends (elements,
// attributes, text, the five entities) and write the response envelopes Salesforce answers with.

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const decode = (s: string): string =>
  s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_m, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()] as string;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Parses a document into its root element; throws on anything it cannot read. */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const tag = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const top = stack[stack.length - 1] as XmlNode;
    if (m[5] !== undefined) {
      top.text += decode(m[5]);
      continue;
    }
    if (!m[2]) continue;
    if (m[1]) {
      if (top.name !== m[2]) throw new Error(`unexpected </${m[2]}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1] as string] = decode(a[2] ?? a[3] ?? '');
    const node: XmlNode = { name: m[2], attrs, children: [], text: '' };
    top.children.push(node);
    if (!m[4]) stack.push(node);
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unbalanced XML');
  return root.children[0] as XmlNode;
}

/** The element's local name (without its namespace prefix). */
export const localName = (n: XmlNode): string => n.name.slice(n.name.indexOf(':') + 1);

export const child = (n: XmlNode, name: string): XmlNode | undefined => n.children.find((c) => localName(c) === name);

export const childrenNamed = (n: XmlNode, name: string): XmlNode[] => n.children.filter((c) => localName(c) === name);

/** An element tree as plain data: leaves become strings, repeated elements arrays. */
export function nodeToValue(n: XmlNode): unknown {
  if (n.children.length === 0) return n.text.trim();
  const out: Record<string, unknown> = {};
  for (const c of n.children) {
    const key = localName(c);
    const v = nodeToValue(c);
    const prev = out[key];
    out[key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Plain data back to XML elements (arrays repeat the element; null becomes xsi:nil). */
export function valueToXml(name: string, value: unknown, attrs = ''): string {
  if (Array.isArray(value)) return value.map((v) => valueToXml(name, v)).join('');
  if (value === null || value === undefined) return `<${name}${attrs} xsi:nil="true"/>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => valueToXml(k, v))
      .join('');
    return `<${name}${attrs}>${inner}</${name}>`;
  }
  return `<${name}${attrs}>${escapeXml(String(value))}</${name}>`;
}

/** A SOAP response envelope in the Metadata API's namespace. */
export const soapEnvelope = (body: string): string =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

/** A SOAP fault as Salesforce sends it (HTTP 500), e.g. `sf:INVALID_SESSION_ID`. */
export const soapFault = (code: string, message: string): string =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault>' +
  `<faultcode>sf:${code}</faultcode><faultstring>${escapeXml(`${code}: ${message}`)}</faultstring>` +
  '</soapenv:Fault></soapenv:Body></soapenv:Envelope>';
