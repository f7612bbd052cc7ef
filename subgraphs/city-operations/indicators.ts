/**
 * 城市体征 the city's vital signs for a region, and the thresholds that raise an alert 预警.
 * Computed from the region's events and dispatches at the moment of asking.
 */
export interface IndicatorDefinition {
  code: 'OPEN_EVENTS' | 'OVERDUE_RATE' | 'MEAN_HANDLING_HOURS' | 'EVENTS_PER_10K_RESIDENTS';
  name: string;
  unit: string;
  threshold: number;
}

export const INDICATORS: readonly IndicatorDefinition[] = [
  { code: 'OPEN_EVENTS', name: '在办事件数', unit: 'events', threshold: 40 },
  { code: 'OVERDUE_RATE', name: '超期率', unit: '%', threshold: 20 },
  { code: 'MEAN_HANDLING_HOURS', name: '平均处置时长', unit: 'hours', threshold: 72 },
  { code: 'EVENTS_PER_10K_RESIDENTS', name: '每万人事件数', unit: 'events', threshold: 3000 },
];

export interface IndicatorInputs {
  now: number;
  events: ReadonlyArray<{ status: string; reportedAt: string; resolvedAt: string | null }>;
  openDispatches: ReadonlyArray<{ deadline: string }>;
  residents: number;
}

export interface IndicatorValue extends IndicatorDefinition {
  value: number;
  alerting: boolean;
}

const OPEN = new Set(['REPORTED', 'DISPATCHED', 'IN_PROGRESS']);

export function computeIndicators(inputs: IndicatorInputs): IndicatorValue[] {
  const open = inputs.events.filter((e) => OPEN.has(e.status)).length;
  const overdue = inputs.openDispatches.filter((d) => Date.parse(d.deadline) < inputs.now).length;
  const handled = inputs.events.filter((e) => e.resolvedAt !== null);
  const hours = handled.map((e) => (Date.parse(e.resolvedAt!) - Date.parse(e.reportedAt)) / 3_600_000);
  const values: Record<IndicatorDefinition['code'], number> = {
    OPEN_EVENTS: open,
    OVERDUE_RATE: inputs.openDispatches.length === 0 ? 0 : Math.round((overdue / inputs.openDispatches.length) * 1000) / 10,
    MEAN_HANDLING_HOURS: hours.length === 0 ? 0 : Math.round((hours.reduce((a, b) => a + b, 0) / hours.length) * 10) / 10,
    EVENTS_PER_10K_RESIDENTS: inputs.residents === 0 ? 0 : Math.round((inputs.events.length / inputs.residents) * 100_000) / 10,
  };
  return INDICATORS.map((definition) => ({ ...definition, value: values[definition.code], alerting: values[definition.code] > definition.threshold }));
}
