/**
 * The report's figures: one plain description of a plot ({@link org.widthlaw.driver.plot.Figure}) drawn two ways,
 * as an interactive ECharts chart inside report.html ({@link org.widthlaw.driver.plot.EChartsOption}) and as static
 * SVG and PNG files under OUT/plots/ ({@link org.widthlaw.driver.plot.StaticPlot}), so that both show the same
 * series, axes and colours.
 */
package org.widthlaw.driver.plot;
