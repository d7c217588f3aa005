import { checkCompose } from './compose.mjs';
import { checkDockerfiles } from './dockerfiles.mjs';
import { checkKubernetes } from './kubernetes.mjs';

/** Every static check of the deployment files under `root`. */
export async function checkAll(root, report) {
  checkDockerfiles(root, report);
  checkCompose(root, report);
  await checkKubernetes(root, report);
}
