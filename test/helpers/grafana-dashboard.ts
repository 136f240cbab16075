/**
 * Reads grafana/dashboards/*.json the way Grafana would run it against Prometheus: every panel's
 * targets (rows' nested panels included) and its template variables, substituted into plain PromQL.
 *
 * Substitution follows Grafana's rules for the Prometheus data source: a variable with "All" selected
 * becomes its allValue (a regex, used with =~); a multi-value selection becomes `(a|b)`; $__rate_interval,
 * $__interval and $__range take the values the caller gives (they depend on the scrape interval and
 * the time range, which a test chooses).
 */
import { readdirSync, readFileSync } from 'node:fs';

export const DASHBOARD_DIR = new URL('../../grafana/dashboards/', import.meta.url);

export interface DashboardTarget {
  readonly expr?: string;
  readonly refId?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly legendFormat?: string;
}

export interface DashboardPanel {
  readonly id?: number;
  readonly type: string;
  readonly title?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly targets?: readonly DashboardTarget[];
  readonly panels?: readonly DashboardPanel[];
  readonly gridPos?: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
}

export interface DashboardVariable {
  readonly name: string;
  readonly type: string;
  readonly query?: string | { readonly query: string };
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly includeAll?: boolean;
  readonly multi?: boolean;
  readonly allValue?: string;
  readonly current?: { readonly value: string | readonly string[] };
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly DashboardPanel[];
  readonly templating?: { readonly list: readonly DashboardVariable[] };
}

export interface PanelQuery {
  readonly panel: DashboardPanel;
  readonly target: DashboardTarget;
}

export function dashboardFiles(): string[] {
  return readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json'));
}

export function loadDashboard(file: string): Dashboard {
  return JSON.parse(readFileSync(new URL(file, DASHBOARD_DIR), 'utf8')) as Dashboard;
}

/** Every panel that can hold queries, rows flattened (a collapsed row keeps its panels inside it). */
export function allPanels(dashboard: Dashboard): DashboardPanel[] {
  const out: DashboardPanel[] = [];
  const walk = (panels: readonly DashboardPanel[]): void => {
    for (const panel of panels) {
      if (panel.type === 'row') walk(panel.panels ?? []);
      else out.push(panel);
    }
  };
  walk(dashboard.panels);
  return out;
}

export function panelQueries(dashboard: Dashboard): PanelQuery[] {
  return allPanels(dashboard).flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));
}

export interface BuiltinIntervals {
  readonly rateInterval: string;
  readonly interval: string;
  readonly range: string;
}

/** The value a variable takes in a query: the All value, or the current selection. */
export function variableValue(variable: DashboardVariable): string {
  const current = variable.current?.value;
  const selected = current === undefined ? [] : typeof current === 'string' ? [current] : [...current];
  if (variable.includeAll === true && (selected.length === 0 || selected.includes('$__all'))) return variable.allValue ?? '.*';
  if (selected.length === 0) throw new Error(`variable ${variable.name} has neither a current value nor "All"`);
  return selected.length === 1 ? selected[0] : `(${selected.join('|')})`;
}

/** `$name`, `${name}` and `[[name]]` of the dashboard's variables and the built-in intervals, substituted. */
export function substitute(text: string, dashboard: Dashboard, builtins: BuiltinIntervals): string {
  const values = new Map<string, string>([
    ['__rate_interval', builtins.rateInterval],
    ['__interval', builtins.interval],
    ['__range', builtins.range],
  ]);
  for (const variable of dashboard.templating?.list ?? []) values.set(variable.name, variableValue(variable));
  return text.replace(/\$\{(\w+)\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined, c: string | undefined) => {
    const name = a ?? b ?? c ?? '';
    const value = values.get(name);
    if (value === undefined) throw new Error(`${whole} in "${text}" is not a variable of dashboard ${dashboard.uid}`);
    return value;
  });
}

/** The query text of a variable of type "query" (Grafana stores it as a string or as { query }). */
export function variableQuery(variable: DashboardVariable): string | null {
  if (variable.type !== 'query' || variable.query === undefined) return null;
  return typeof variable.query === 'string' ? variable.query : variable.query.query;
}
