import { config as loadDotenv } from 'dotenv';
import type { Env } from '../config/env-readers.js';

/** The process environment, with a `.env` file in the working directory filling the gaps. */
export function loadEnv(): Env {
  loadDotenv({ quiet: true });
  return process.env;
}
