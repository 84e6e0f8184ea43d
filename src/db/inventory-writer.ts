/** SQL that adds images to the inventory, with the hosts they sit on, containers and software. */
import type { Db } from './database.js';
import type { ScanRule } from '../domain/scan-outcome.js';
import type { ImageFields } from './image-repository.js';

export interface NewImage extends ImageFields {
  scan_rule: ScanRule | undefined;
  host_pks: readonly number[];
  containers: readonly NewContainer[];
  apps: readonly NewApp[];
}

export interface NewContainer {
  host_pk: number;
  container_id: string;
  container_name: string;
  pod_id: string;
  pod_name: string;
  entry_point: string;
}

export interface NewApp {
  app_name: string;
  app_type: string;
  app_version: string;
  vul_num: number;
}

export class InventoryWriter {
  readonly #image;
  readonly #onHost;
  readonly #container;
  readonly #app;

  constructor(db: Db) {
    this.#image = db.prepare(`
      INSERT INTO images (project_id, enterprise_project_id, image_id, image_name, image_digest,
        image_version, local_image_type, image_size, latest_update_time, non_scan_reason,
        scan_status, latest_scan_time, scan_failed_desc, severity_level, vul_num,
        unsafe_setting_num, malicious_file_num, component_num, scan_rule, vulnerabilities)
      VALUES (:project_id, :enterprise_project_id, :image_id, :image_name, :image_digest,
        :image_version, :local_image_type, :image_size, :latest_update_time, :non_scan_reason,
        :scan_status, :latest_scan_time, :scan_failed_desc, :severity_level, :vul_num,
        :unsafe_setting_num, :malicious_file_num, :component_num, :scan_rule, :vulnerabilities)`);
    this.#onHost = db.prepare('INSERT OR IGNORE INTO image_hosts (image_pk, host_pk) VALUES (?, ?)');
    this.#container = db.prepare(`
      INSERT INTO containers (image_pk, host_pk, container_id, container_name, pod_id, pod_name, entry_point)
      VALUES (:image_pk, :host_pk, :container_id, :container_name, :pod_id, :pod_name, :entry_point)`);
    this.#app = db.prepare(`
      INSERT INTO apps (image_pk, app_name, app_type, app_version, vul_num)
      VALUES (:image_pk, :app_name, :app_type, :app_version, :vul_num)`);
  }

  addImage(image: NewImage): number {
    const { host_pks, containers, apps, scan_rule, ...row } = image;
    const imagePk = Number(
      this.#image.run({ ...row, scan_rule: scan_rule ? JSON.stringify(scan_rule) : null }).lastInsertRowid,
    );
    for (const hostPk of host_pks) this.#onHost.run(imagePk, hostPk);
    for (const container of containers) {
      this.#onHost.run(imagePk, container.host_pk);
      this.#container.run({ ...container, image_pk: imagePk });
    }
    for (const app of apps) this.#app.run({ ...app, image_pk: imagePk });
    return imagePk;
  }
}
