import type { AppConfig } from '../config/app-config.js';
import type { SessionBackend } from '../wts/backend.js';
import { SimulatedFleet } from '../wts/simulated/fleet.js';

/** The backend the configuration asks for; the koffi binding is only loaded when it is wanted. */
export async function createBackend(config: AppConfig): Promise<SessionBackend> {
  if (config.backend === 'simulated') return new SimulatedFleet({ latencyMs: config.simulatedLatencyMs });
  const { createWtsBackend } = await import('../wts/koffi/index.js');
  return createWtsBackend(config.wts);
}
