/**
 * A department marks the errors of rows its row gate withheld, so the gateway can tell them from other
 * errors: the gateway's own result gate answers for rows (a withheld row looks like a missing one), so a
 * department's withholding must not add an error that a missing row would not have.
 */
export const ROW_WITHHELD = 'rowWithheld';

export function isRowWithheld(extensions: Readonly<Record<string, unknown>> | undefined): boolean {
  return extensions?.[ROW_WITHHELD] === true;
}
