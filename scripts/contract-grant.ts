/**
 * A new purpose added to an app's contract, so that the app can read a new department's fields through
 * the gateway. The file is edited, not rewritten: its comments and layout stay as they were.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseDocument, type YAMLSeq } from 'yaml';
import { loadContracts } from '../contracts/load-contracts';

export interface GrantedPurpose {
  code: string;
  description: string;
  legalBasis: string;
  caseRequired?: true;
  subjectIsOperator?: true;
  grants: readonly string[];
}

export interface ContractGrant {
  file: string;
  write(): void;
}

/**
 * Checks that `app` has a contract in `contractsDir` without a purpose of that code, and returns how to
 * add it, the comment written above it included. Nothing is written until `write()`.
 */
export function planContractGrant(contractsDir: string, app: string, purpose: GrantedPurpose, comment: string): ContractGrant {
  const { contracts } = loadContracts(contractsDir);
  const loaded = contracts.find((c) => c.contract.app === app);
  if (!loaded) {
    const apps = contracts.map((c) => c.contract.app).join(', ');
    throw new Error(`${app} has no valid contract in ${relative(process.cwd(), contractsDir) || '.'}; --grant-to takes one of: ${apps || 'none found'}`);
  }
  if (loaded.contract.purposes.some((p) => p.code === purpose.code)) {
    throw new Error(`${relative(process.cwd(), loaded.file)} already has a purpose ${purpose.code}: remove it, or grant to another app`);
  }
  return {
    file: loaded.file,
    write() {
      const document = parseDocument(readFileSync(loaded.file, 'utf8'));
      const node = document.createNode({ ...purpose, grants: [...purpose.grants] });
      node.commentBefore = comment;
      (document.get('purposes') as YAMLSeq).add(node);
      // Long lines stay whole: a contract is read line by line in review.
      writeFileSync(loaded.file, document.toString({ lineWidth: 0 }));
    },
  };
}
