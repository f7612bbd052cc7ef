/**
 * issueCertificate with its input written into the document. market-supervision is not granted
 * holderIdNumber, and the gateway refuses a variable of the whole input type for it (the variable's type
 * names that field), so its issues spell the input out.
 */
export function inlineIssue(input: Record<string, unknown>, selection = 'number status'): string {
  const literal = JSON.stringify(input)
    .replace(/"(\w+)":/g, '$1:')
    .replace(/kind:"(\w+)"/, 'kind:$1');
  return `mutation { issueCertificate(input: ${literal}) { ${selection} } }`;
}
