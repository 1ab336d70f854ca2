// Compares every physics array of two MJCF models as MuJoCo 2.2.2 compiles them: the sizes, mjOption, and each array
// that mjxmacro.h lists for mjModel except names, visuals, textures, materials, lights, cameras, sites and user data.
// docs/mujoco.md uses it to show that the project's models compile to the same physics as Gymnasium's assets:
//   gcc tests/mujoco/compare-models.c -o compare-models -lmujoco
//   ./compare-models src/Trirl.Environments/Locomotion/Models/hopper.xml path/to/gymnasium/assets/hopper.xml
// Exit code 0 when every compared array is equal byte for byte.
#include <stdio.h>
#include <string.h>
#include <mujoco/mujoco.h>
#include <mujoco/mjxmacro.h>
static int skip(const char* n) {
  const char* pre[] = {"name_", "tex_", "mat_", "light_", "cam_", "vis", "skin_", "geom_rgba", "geom_matid", "site_", "tendon_rgba", "geom_group", "geom_user", "body_user", "geom_dataid", "nuser", "names", "hfield", "mesh_", "numeric_", "text_", "tuple_", "key_", 0};
  for (int i = 0; pre[i]; i++) if (!strncmp(n, pre[i], strlen(pre[i]))) return 1;
  return 0;
}
int main(int argc, char** argv) {
  char err[1000];
  mjModel* a = mj_loadXML(argv[1], 0, err, 1000); if (!a) { printf("A: %s\n", err); return 1; }
  mjModel* b = mj_loadXML(argv[2], 0, err, 1000); if (!b) { printf("B: %s\n", err); return 1; }
  int bad = 0, checked = 0;
#define S(f) if (a->f != b->f) { printf("size %s %d %d\n", #f, a->f, b->f); bad++; }
  S(nq) S(nv) S(nu) S(nbody) S(njnt) S(ngeom) S(neq) S(ntendon) S(nsensor) S(na)
  if (memcmp(&a->opt, &b->opt, sizeof(mjOption))) { printf("opt differs\n"); bad++; }
  if (bad) return 2;
  { MJMODEL_POINTERS_PREAMBLE(a)
#define X(type, name, nr, nc) \
  if (!skip(#name)) { size_t sz = sizeof(type) * (size_t)(a->nr) * (nc); checked++; \
    if (sz && memcmp(a->name, b->name, sz)) { printf("differs: %s\n", #name); bad++; } }
  MJMODEL_POINTERS
#undef X
  }
  printf("%s vs %s: %d arrays compared, %d differ\n", argv[1], argv[2], checked, bad);
  return bad != 0;
}
