package org.widthlaw.lib.reduce;

import java.io.Serializable;

/** Which cell: its id, its group, n and the cell seed. */
public record CellKey(String cellId, GroupKey group, int n, long seed) implements Serializable {}
