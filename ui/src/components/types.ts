/** Types shared by the generic components. */
export type Tone = "good" | "warn" | "bad" | "neutral" | "info";

export interface Column {
  key: string;
  label: string;
  /** A CSS grid track, e.g. "2fr" or "140px". */
  width: string;
}

export interface Series {
  name: string;
  /** CSS colour. */
  color: string;
}

export interface Group {
  label: string;
  values: number[];
}
