/** One fault found in a contract, located so an auditor can fix every fault in one pass. */
export interface ContractProblem {
  file: string;
  app?: string;
  coordinate?: string;
  message: string;
}

export function formatProblem(problem: ContractProblem): string {
  return [problem.file, problem.app, problem.coordinate].filter(Boolean).join(': ') + `: ${problem.message}`;
}
