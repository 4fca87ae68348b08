/* import.c: placeholder until the CSV importer lands */
#include "mash.h"

int
mash_import_csv(struct mash *m, const struct mash_import *imp)
{
	(void)m;
	(void)imp;
	return mash_err(MASH_ESOFTWARE, "CSV import is not built yet");
}
